#!/usr/bin/env bash
# A PEERING-like world on one machine, in network namespaces, with real BIRD routers and real OpenVPN tunnels.
# See README.md next to this file for the picture. Everything lives in namespaces named <prefix>-*, and every
# file in one work directory; `down` removes exactly what `up` recorded there.
#
#   lab.sh up W PREFIX                  build the lab (W: work directory, absolute; PREFIX: namespace prefix)
#   lab.sh down W                       stop every process in the lab's namespaces, delete the namespaces
#   lab.sh wait W [SECONDS]             wait until every BGP session of every router is Established
#   lab.sh announce W PREFIX [-m MUX] [-P N] [-o ASN] [-p ASN]... [-c A,B]... [-l A,B,C]...
#                                       announce like `peering prefix announce` (filter file + configure)
#   lab.sh withdraw W PREFIX [-m MUX]   withdraw like `peering prefix withdraw`
#   lab.sh tunnel-down W MUX            stop the client's OpenVPN for MUX (its tap disappears)
#   lab.sh tunnel-up W MUX              start it again and wait for the tap
#   lab.sh fulltable W COUNT [RATE]     start the full-table upstream (AS 6939) sending COUNT IPv4 routes to mux 1
#                                       (RATE routes/s; default 0: as fast as BIRD takes them)
#   lab.sh birdc W NODE CMD...          run a BIRD command on a router (client, client6, mux1, u3356, coll, ...)
#   lab.sh exec W NODE CMD...           run a command in a node's namespace (client, mux1, ix, ...)
#
# Needs root, iproute2, bird2 (bird, birdc), openvpn, openssl, node. Traffic never leaves the namespaces: the
# tunnels' UDP runs over veth pairs between the client and mux namespaces, BGP between routers over a bridge in
# the lab's own `ix` namespace.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
CMD=${1:?usage: lab.sh up|down|wait|announce|withdraw|tunnel-down|tunnel-up|fulltable|birdc|exec W ...}
W=${2:?work directory}
shift 2

# The muxes: name, id (tap<id>, 100.{64+id}.128.1, 2804:269c:ff00:{id:x}:1::1 as in PEERING), upstreams.
MUXES=(amsterdam01 seattle01)
declare -A MUX_ID=([amsterdam01]=5 [seattle01]=1)
declare -A MUX_NODE=([amsterdam01]=mux1 [seattle01]=mux2)
declare -A MUX_UPSTREAMS=([amsterdam01]="3356 174" [seattle01]="174 2914")
UPSTREAMS=(3356 174 2914)
# Addresses on the exchange LAN (bridge br0 in the ix namespace).
declare -A IX4=([mux1]=10.99.0.11 [mux2]=10.99.0.12 [u3356]=10.99.0.33 [u174]=10.99.0.17 [u2914]=10.99.0.29 [coll]=10.99.0.100 [feed]=10.99.0.69)
declare -A IX6=([mux1]=fd00:99::11 [mux2]=fd00:99::12 [u3356]=fd00:99::33 [u174]=fd00:99::17 [u2914]=fd00:99::29 [coll]=fd00:99::100 [feed]=fd00:99::69)
# Prefixes each upstream originates (documentation space).
declare -A ORIGIN4=([3356]=203.0.113.0/24 [174]=198.51.100.0/24 [2914]=192.0.2.0/24)
declare -A ORIGIN6=([3356]=2001:db8:3356::/48 [174]=2001:db8:174::/48 [2914]=2001:db8:2914::/48)
COLLECTOR_AS=12654
FULLTABLE_AS=6939
# Fast BGP timers: sessions come up, and notice a tunnel going down, within seconds.
TIMERS='hold time 9; keepalive time 3; connect delay time 1; connect retry time 2; error wait time 1, 4;'

hex() { printf '%x' "$1"; }
ns() { echo "$PREFIX-$1"; }
inns() { local n=$1; shift; ip netns exec "$(ns "$n")" "$@"; }
die() { echo "lab.sh: $*" >&2; exit 1; }
load() { [ -f "$W/lab.env" ] || die "$W is not a lab work directory"; . "$W/lab.env"; }
CL=$W/client # the PEERING-like client checkout

wait_for() { # SECONDS DESCRIPTION COMMAND...
  local t=$1 what=$2; shift 2
  local end=$((SECONDS + t))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $end ] || die "timed out after ${t}s waiting for $what"
    sleep 0.2
  done
}

mkns() {
  local n; n=$(ns "$1")
  echo "$n" >>"$W/namespaces" # recorded first: `down` cleans up a half-built lab too
  ip netns add "$n"
  ip -n "$n" link set lo up
  inns "$1" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 \
    net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
}

ixport() { # NODE: a veth from the node to the exchange bridge
  local n=$1
  ip -n "$(ns "$n")" link add ix0 type veth peer name "p-$n" netns "$(ns ix)"
  ip -n "$(ns ix)" link set "p-$n" master br0 up
  ip -n "$(ns "$n")" addr add "${IX4[$n]}/24" dev ix0
  ip -n "$(ns "$n")" addr add "${IX6[$n]}/64" dev ix0 nodad
  ip -n "$(ns "$n")" link set ix0 up
}

pki() {
  local d=$W/pki
  mkdir -p "$d"
  (
    cd "$d"
    local ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
    openssl req -x509 "${ec[@]}" -keyout ca.key -out ca.crt -subj /CN=bgpcap-lab-ca -days 2 2>/dev/null
    for who in server client; do
      openssl req -new "${ec[@]}" -keyout "$who.key" -out "$who.csr" -subj "/CN=$who" 2>/dev/null
      printf 'extendedKeyUsage=%s\n' "$([ "$who" = server ] && echo serverAuth || echo clientAuth)" >"$who.ext"
      openssl x509 -req -in "$who.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -out "$who.crt" -days 2 -extfile "$who.ext" 2>/dev/null
    done
  )
}

write_mux_openvpn() { # MUX
  local mux=$1 id=${MUX_ID[$1]} node=${MUX_NODE[$1]} d=$W/${MUX_NODE[$1]}
  local x; x=$(hex "$id")
  mkdir -p "$d/ccd"
  cat >"$d/server.conf" <<EOF
# bgpcap lab: the mux end of the tunnel; every client tunnel ends on tap0
mode server
tls-server
proto udp4
local 172.31.$id.2
port 1194
dev tap0
ca $W/pki/ca.crt
cert $W/pki/server.crt
key $W/pki/server.key
dh none
ifconfig 100.$((64 + id)).128.1 255.255.0.0
ifconfig-ipv6 2804:269c:ff00:$x:1::1/64 2804:269c:ff00:$x:1::2
client-config-dir $d/ccd
ccd-exclusive
keepalive 2 8
data-ciphers AES-128-GCM
writepid $d/openvpn.pid
log $d/openvpn.log
verb 3
EOF
  cat >"$d/ccd/client" <<EOF
ifconfig-push 100.$((64 + id)).128.2 255.255.0.0
ifconfig-ipv6-push 2804:269c:ff00:$x:2::2/64 2804:269c:ff00:$x:1::1
EOF
}

write_client_dir() {
  mkdir -p "$CL/configs/openvpn" "$CL/var" "$CL/scripts/openvpn" "$CL/pki" \
    "$CL/configs/bird/prefix-filters" "$CL/configs/bird/route-announcements" \
    "$CL/configs/bird6/prefix-filters" "$CL/configs/bird6/route-announcements"
  cp "$W/pki/ca.crt" "$W/pki/client.crt" "$W/pki/client.key" "$CL/pki/"
  # The lab's own up/down scripts: record the tunnel state where the client checkout keeps it.
  cat >"$CL/scripts/openvpn/up.sh" <<'EOF'
#!/bin/sh
# bgpcap lab: tunnel up -> var/<mux>.updown = "up <ipv4> <ipv6>"
echo "up ${ifconfig_local:-0.0.0.0} ${ifconfig_ipv6_local:-::}" >"var/$daemon_name.updown"
EOF
  cat >"$CL/scripts/openvpn/down.sh" <<'EOF'
#!/bin/sh
# bgpcap lab: tunnel down -> var/<mux>.updown = "down"
echo down >"var/$daemon_name.updown"
EOF
  chmod +x "$CL/scripts/openvpn/up.sh" "$CL/scripts/openvpn/down.sh"
  : >"$CL/var/mux2dev.txt"
  : >"$CL/prefixes.txt"
  : >"$CL/prefixes6.txt"
  for mux in "${MUXES[@]}"; do
    local id=${MUX_ID[$mux]}
    echo "$mux tap$id" >>"$CL/var/mux2dev.txt"
    cat >"$CL/configs/openvpn/$mux.conf" <<EOF
# bgpcap lab: tunnel to mux $mux
client
pull
proto udp4
remote 172.31.$id.2 1194
nobind
dev tap$id
setenv daemon_name $mux
script-security 2
up scripts/openvpn/up.sh
down scripts/openvpn/down.sh
management var/$mux.sock unix
log var/$mux.log
writepid var/$mux.pid
ca pki/ca.crt
cert pki/client.crt
key pki/client.key
data-ciphers AES-128-GCM
connect-retry 1
verb 3
EOF
  done
  for p in 184.164.236.0/24 184.164.237.0/24 184.164.238.0/24 184.164.239.0/24; do echo "$p" >>"$CL/prefixes.txt"; done
  for p in 2804:269c:5::/48 2804:269c:1::/48 2804:269c:3f::/48; do echo "$p" >>"$CL/prefixes6.txt"; done
  write_client_bird 4
  write_client_bird 6
}

write_client_bird() { # 4|6
  local v=$1 conf dir rid
  if [ "$v" = 4 ]; then dir=$CL/configs/bird conf=$dir/bird.conf; else dir=$CL/configs/bird6 conf=$dir/bird6.conf; fi
  rid=100.$((64 + ${MUX_ID[${MUXES[0]}]})).128.2
  {
    echo "# bgpcap lab: the client's BIRD (IPv$v), one iBGP session per mux, as a PEERING client runs it"
    echo "log \"$CL/var/bird$([ "$v" = 6 ] && echo 6).log\" all;"
    echo "router id $rid;"
    echo "protocol device { scan time 1; }"
    echo "protocol direct { ipv$v; interface \"tap*\"; }"
    echo "function safe_announcement() {"
    if [ "$v" = 4 ]; then
      echo "  if ! (net ~ [ 184.164.224.0/19{19,24}, 204.9.168.0/22{22,24}, 138.185.228.0/22{22,24} ]) then return false;"
    else
      echo "  if ! (net ~ [ 2804:269c::/42{42,48}, 2604:4540::/48, 2620:33:c000::/48 ]) then return false;"
    fi
    echo "  return true;"
    echo "}"
    echo "protocol static announcements {"
    echo "  ipv$v;"
    echo "  include \"$dir/route-announcements/*\";"
    echo "}"
    echo "template bgp peering {"
    echo "  local as 47065;"
    echo "  allow local as;"
    echo "  direct;"
    echo "  $TIMERS"
    # next hop self: the announced routes are static "unreachable" ones; BIRD 2 withdraws a route without a next
    # hop unless told to put its own address there (BIRD 1.6, which PEERING.md describes, did that by itself).
    echo "  ipv$v { import all; next hop self; };"
    echo "}"
    for mux in "${MUXES[@]}"; do
      local id=${MUX_ID[$mux]} nb
      if [ "$v" = 4 ]; then nb=100.$((64 + id)).128.1; else nb=2804:269c:ff00:$(hex "$id"):1::1; fi
      echo "protocol bgp $mux from peering {"
      echo "  neighbor $nb as 47065;"
      echo "  ipv$v {"
      echo "    export filter {"
      echo "      if ! safe_announcement() then reject;"
      echo "      include \"$dir/prefix-filters/export_${mux}_*\";"
      echo "      reject;"
      echo "    };"
      echo "  };"
      echo "}"
    done
  } >"$conf"
}

write_router_bird() { # NODE ASN: header of a router's config
  local node=$1 asn=$2 d=$W/$1
  mkdir -p "$d"
  {
    echo "# bgpcap lab: $node (AS $asn)"
    echo "log \"$d/bird.log\" all;"
    echo "router id ${IX4[$node]};"
    echo "protocol device { scan time 1; }"
    echo "protocol direct { ipv4; ipv6; }"
  } >"$d/bird.conf"
}

bgp_peer() { # NODE NAME LOCAL_AS NEIGHBOR4 NEIGHBOR6 ASN EXTRA_CHANNEL_OPTS [PASSIVE]
  local node=$1 name=$2 las=$3 n4=$4 n6=$5 asn=$6 chan=$7 extra=${8:-}
  cat >>"$W/$node/bird.conf" <<EOF
protocol bgp $name { local as $las; neighbor $n4 as $asn; $TIMERS $extra ipv4 { $chan }; }
protocol bgp ${name}_v6 { local as $las; neighbor $n6 as $asn; $TIMERS $extra ipv6 { $chan }; }
EOF
}

write_mux_bird() { # MUX
  local mux=$1 node=${MUX_NODE[$1]} id=${MUX_ID[$1]} x
  x=$(hex "$id")
  write_router_bird "$node" 47065
  cat >>"$W/$node/bird.conf" <<EOF
# The client: iBGP over the tunnel. Everything from the upstreams goes to it (a PEERING mux streams its
# upstreams' full tables), with this mux as next hop. "allow local as": the client prepends 47065 itself.
protocol bgp client4 { local as 47065; neighbor 100.$((64 + id)).128.2 as 47065; direct; allow local as; $TIMERS ipv4 { import all; export where source = RTS_BGP; next hop self; }; }
protocol bgp client6 { local as 47065; neighbor 2804:269c:ff00:$x:2::2 as 47065; direct; allow local as; $TIMERS ipv6 { import all; export where source = RTS_BGP; next hop self; }; }
# Upstreams: eBGP as AS 47065; only the client's announcements are passed on. "allow local as": our own
# prefixes come back through other networks (with 47065 in the path) and must be accepted, as on the client.
EOF
  for u in ${MUX_UPSTREAMS[$mux]}; do
    bgp_peer "$node" "up$u" 47065 "${IX4[u$u]}" "${IX6[u$u]}" "$u" 'import all; export where proto ~ "client*";' 'allow local as;'
  done
  if [ "$node" = mux1 ]; then
    echo "protocol bgp up$FULLTABLE_AS { local as 47065; neighbor ${IX4[feed]} as $FULLTABLE_AS; passive; $TIMERS ipv4 { import all; export none; }; }" >>"$W/$node/bird.conf"
  fi
}

write_upstream_bird() { # ASN
  local u=$1 node=u$1
  write_router_bird "$node" "$u"
  cat >>"$W/$node/bird.conf" <<EOF
protocol static own4 { ipv4; route ${ORIGIN4[$u]} unreachable; }
protocol static own6 { ipv6; route ${ORIGIN6[$u]} unreachable; }
EOF
  for mux in "${MUXES[@]}"; do
    for x in ${MUX_UPSTREAMS[$mux]}; do
      [ "$x" = "$u" ] || continue
      local m=${MUX_NODE[$mux]}
      bgp_peer "$node" "$mux" "$u" "${IX4[$m]}" "${IX6[$m]}" 47065 'import all; export all;'
    done
  done
  for o in "${UPSTREAMS[@]}"; do
    [ "$o" = "$u" ] && continue
    bgp_peer "$node" "as$o" "$u" "${IX4[u$o]}" "${IX6[u$o]}" "$o" 'import all; export all;'
  done
  bgp_peer "$node" collector "$u" "${IX4[coll]}" "${IX6[coll]}" "$COLLECTOR_AS" 'import none; export all;'
}

write_collector_bird() {
  write_router_bird coll "$COLLECTOR_AS"
  for u in "${UPSTREAMS[@]}"; do
    bgp_peer coll "as$u" "$COLLECTOR_AS" "${IX4[u$u]}" "${IX6[u$u]}" "$u" 'import all; export none;' 'passive;'
  done
}

start_bird() { # NODE CONF CTL PIDFILE
  inns "$1" bird -c "$2" -s "$3" -P "$4"
}

start_client_tunnel() { # MUX
  local mux=$1 id=${MUX_ID[$1]}
  rm -f "$CL/var/$mux.updown"
  inns client openvpn --cd "$CL" --config "configs/openvpn/$mux.conf" --daemon "$mux"
  wait_for 30 "tunnel $mux (tap$id and var/$mux.updown)" \
    sh -c "ip -n $(ns client) link show tap$id && grep -q '^up ' '$CL/var/$mux.updown'"
}

cmd_up() {
  PREFIX=${1:?namespace prefix}
  [ "$(id -u)" = 0 ] || die "needs root"
  mkdir -p "$W"
  [ ! -e "$W/namespaces" ] || die "$W already holds a lab"
  echo "PREFIX=$PREFIX" >"$W/lab.env"
  : >"$W/namespaces"
  for n in client ix mux1 mux2 u3356 u174 u2914 coll feed; do mkns "$n"; done
  ip -n "$(ns ix)" link add br0 type bridge
  ip -n "$(ns ix)" link set br0 up
  for n in mux1 mux2 u3356 u174 u2914 coll feed; do ixport "$n"; done
  # Underlay for the tunnels: a veth pair per mux between the client and the mux namespace.
  for mux in "${MUXES[@]}"; do
    local id=${MUX_ID[$mux]} node=${MUX_NODE[$mux]}
    ip -n "$(ns client)" link add "wan$id" type veth peer name wan0 netns "$(ns "$node")"
    ip -n "$(ns client)" addr add "172.31.$id.1/30" dev "wan$id"
    ip -n "$(ns "$node")" addr add "172.31.$id.2/30" dev wan0
    ip -n "$(ns client)" link set "wan$id" up
    ip -n "$(ns "$node")" link set wan0 up
  done
  pki
  write_client_dir
  for mux in "${MUXES[@]}"; do
    write_mux_openvpn "$mux"
    local node=${MUX_NODE[$mux]}
    inns "$node" openvpn --config "$W/$node/server.conf" --daemon "lab-$node"
  done
  for mux in "${MUXES[@]}"; do start_client_tunnel "$mux"; done
  for mux in "${MUXES[@]}"; do write_mux_bird "$mux"; done
  for u in "${UPSTREAMS[@]}"; do write_upstream_bird "$u"; done
  write_collector_bird
  for n in mux1 mux2 u3356 u174 u2914 coll; do start_bird "$n" "$W/$n/bird.conf" "$W/$n/bird.ctl" "$W/$n/bird.pid"; done
  # The client's two BIRD instances (IPv4, IPv6), run from the checkout like the client's scripts run them.
  (cd "$CL" && inns client bird -c configs/bird/bird.conf -s var/bird.ctl -P var/bird.pid)
  (cd "$CL" && inns client bird -c configs/bird6/bird6.conf -s var/bird6.ctl -P var/bird6.pid)
}

ctl_of() { # NODE -> control socket
  case $1 in
    client) echo "$CL/var/bird.ctl" ;;
    client6) echo "$CL/var/bird6.ctl" ;;
    *) echo "$W/$1/bird.ctl" ;;
  esac
}
ns_of() { case $1 in client | client6) echo client ;; *) echo "$1" ;; esac; }

birdc_() { # NODE CMD...
  local node=$1; shift
  inns "$(ns_of "$node")" birdc -s "$(ctl_of "$node")" "$@"
}

all_established() {
  local node out
  for node in client client6 mux1 mux2 u3356 u174 u2914 coll; do
    out=$(birdc_ "$node" show protocols) || return 1
    # Every BGP protocol line must say Established (the full-table session only once it was started).
    if echo "$out" | awk '$2 == "BGP" && $1 != "up'$FULLTABLE_AS'" && $0 !~ /Established/ { bad = 1 } END { exit bad }'; then :; else return 1; fi
  done
}

cmd_wait() {
  load
  wait_for "${1:-40}" "every BGP session to be Established" all_established
}

# `peering prefix announce` semantics (PEERING.md §1.4, §3.3), written for the lab: one filter file per mux and
# prefix, a static route for the prefix, then `configure`.
cmd_announce() {
  load
  local prefix=$1; shift
  local muxes=() prepend=0 origin=0 poisons=() comms=() lcomms=()
  while [ $# -gt 0 ]; do
    case $1 in
      -m) muxes+=("$2"); shift 2 ;;
      -P) prepend=$2; shift 2 ;;
      -o) origin=$2; shift 2 ;;
      -p) poisons+=("$2"); shift 2 ;;
      -c) comms+=("$2"); shift 2 ;;
      -l) lcomms+=("$2"); shift 2 ;;
      *) die "announce: unknown option $1" ;;
    esac
  done
  [ ${#muxes[@]} -gt 0 ] || muxes=("${MUXES[@]}")
  [ "$origin" != 0 ] || origin=47065
  if [ "$prepend" = 0 ] && { [ ${#poisons[@]} -gt 0 ] || [ "$origin" != 47065 ]; }; then prepend=1; fi
  local lines=() i
  for ((i = 0; i < prepend; i++)); do lines+=("bgp_path.prepend($origin);"); done
  for p in ${poisons[@]+"${poisons[@]}"}; do lines+=("bgp_path.prepend($p);"); done
  if [ ${#poisons[@]} -gt 0 ] && [ "$origin" != 47065 ] && [ "${poisons[-1]}" != "$origin" ]; then lines+=("bgp_path.prepend($origin);"); fi
  for c in ${comms[@]+"${comms[@]}"}; do lines+=("bgp_community.add(($c));"); done
  for c in ${lcomms[@]+"${lcomms[@]}"}; do lines+=("bgp_large_community.add(($c));"); done
  local dir=$CL/configs/bird node=client fn
  case $prefix in *:*) dir=$CL/configs/bird6 node=client6 ;; esac
  fn=$(echo "$prefix" | tr '/:' '-i')
  for mux in "${muxes[@]}"; do
    {
      echo "if net = $prefix then {"
      for l in ${lines[@]+"${lines[@]}"}; do echo "  $l"; done
      echo "  accept;"
      echo "}"
    } >"$dir/prefix-filters/export_${mux}_${fn}.conf"
  done
  echo "route $prefix unreachable;" >"$dir/route-announcements/$fn"
  birdc_ "$node" configure >/dev/null
}

cmd_withdraw() {
  load
  local prefix=$1; shift
  local muxes=()
  while [ $# -gt 0 ]; do
    case $1 in -m) muxes+=("$2"); shift 2 ;; *) die "withdraw: unknown option $1" ;; esac
  done
  [ ${#muxes[@]} -gt 0 ] || muxes=("${MUXES[@]}")
  local dir=$CL/configs/bird node=client fn
  case $prefix in *:*) dir=$CL/configs/bird6 node=client6 ;; esac
  fn=$(echo "$prefix" | tr '/:' '-i')
  for mux in "${muxes[@]}"; do rm -f "$dir/prefix-filters/export_${mux}_${fn}.conf"; done
  birdc_ "$node" configure >/dev/null
}

cmd_tunnel_down() {
  load
  local mux=$1 pid
  pid=$(cat "$CL/var/$mux.pid" 2>/dev/null) || die "tunnel $mux is not running"
  kill "$pid"
  # OpenVPN deletes the tap, then runs the down script, then exits: wait for the exit.
  wait_for 15 "OpenVPN ($mux) to exit" sh -c "! kill -0 $pid"
  wait_for 15 "tap${MUX_ID[$mux]} to disappear" sh -c "! ip -n $(ns client) link show tap${MUX_ID[$mux]}"
  rm -f "$CL/var/$mux.pid" "$CL/var/$mux.sock"
}

cmd_tunnel_up() {
  load
  start_client_tunnel "$1"
}

cmd_fulltable() {
  load
  local count=${1:?count} rate=${2:-0}
  inns feed node "$HERE/feeder.mjs" "${IX4[mux1]}" "${IX4[feed]}" "$FULLTABLE_AS" "$count" 1 "$rate" >"$W/feeder.out" 2>"$W/feeder.err" &
  echo $! >"$W/feeder.pid"
}

cmd_down() {
  [ -f "$W/namespaces" ] || exit 0
  . "$W/lab.env"
  local n pids
  for n in $(tac "$W/namespaces"); do
    ip netns list | awk '{print $1}' | grep -qx "$n" || continue
    pids=$(ip netns pids "$n" 2>/dev/null || true)
    [ -z "$pids" ] || kill $pids 2>/dev/null || true
  done
  sleep 0.3
  for n in $(tac "$W/namespaces"); do
    ip netns list | awk '{print $1}' | grep -qx "$n" || continue
    pids=$(ip netns pids "$n" 2>/dev/null || true)
    [ -z "$pids" ] || kill -9 $pids 2>/dev/null || true
    ip netns del "$n"
  done
  rm -f "$W/namespaces"
}

case $CMD in
  up) cmd_up "$@" ;;
  down) cmd_down ;;
  wait) cmd_wait "$@" ;;
  announce) cmd_announce "$@" ;;
  withdraw) cmd_withdraw "$@" ;;
  tunnel-down) cmd_tunnel_down "$@" ;;
  tunnel-up) cmd_tunnel_up "$@" ;;
  fulltable) cmd_fulltable "$@" ;;
  birdc) load; birdc_ "$@" ;;
  exec) load; inns "$@" ;;
  *) die "unknown command $CMD" ;;
esac
