// The state of every tunnel of a PEERING client checkout, from all the places that know something about it.
//
// The interface is the ground truth for "is the tunnel up": OpenVPN deletes the tap when it exits, and a tunnel
// killed without its down script leaves var/<mux>.updown saying "up" (PEERING.md §2.3). The other sources are
// shown next to it, and disagreements become notes:
//   - var/<mux>.updown: what the client's up/down script last wrote;
//   - the OpenVPN management socket: the tunnel's state machine (CONNECTED, RECONNECTING, …);
//   - BIRD's control sockets: the BGP session named after the mux (IPv4 in bird.ctl, IPv6 in bird6.ctl; a
//     single BIRD 2 instance may hold both, then the IPv6 session is looked up there too).

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ifaceAddresses, ifaceState, type IfaceState } from '../source/iface-state.js';
import { birdShowProtocols, type BirdProtocol } from './bird-ctl.js';
import { planNeighbors, readBirdNeighbors, readMuxMap, readUpdown, type MuxEntry, type MuxMap, type Updown } from './client-dir.js';
import { queryOpenvpnState, type OpenvpnState } from './openvpn-mgmt.js';

export interface MuxStatus {
  mux: string;
  tap: string;
  /** Interface present and administratively up. */
  up: boolean;
  iface: IfaceState;
  updown: Updown;
  /** null: no management socket, or not asked. */
  openvpn: OpenvpnState | null;
  /** Addresses on the tap (CIDR). */
  localAddresses: string[];
  /** The mux's BGP neighbour addresses (from the client's BIRD configs, else PEERING's addressing plan). */
  neighbor4: string | null;
  neighbor6: string | null;
  /** BIRD's view of the session named after the mux, null when no control socket answered. */
  bgp4: BirdProtocol | null;
  bgp6: BirdProtocol | null;
  notes: string[];
}

export interface StatusOptions {
  /** Ask the OpenVPN management sockets and BIRD control sockets. Default true. */
  sockets?: boolean;
  timeoutMs?: number;
  /** Where interfaces are looked up (tests). Default /sys/class/net. */
  sysRoot?: string;
}

export interface PeeringStatus {
  dir: string;
  source: MuxMap['source'];
  muxes: MuxStatus[];
  warnings: string[];
}

/** Is the tunnel of this mux up now? (The rule live capture uses to pick muxes by default.) */
export function tunnelUp(m: MuxEntry, sysRoot?: string): boolean {
  const s = ifaceState(m.tap, sysRoot);
  return s.present && s.up;
}

async function birdProtocols(path: string, timeoutMs: number, warnings: string[]): Promise<Map<string, BirdProtocol> | null> {
  if (!existsSync(path)) return null;
  try {
    return await birdShowProtocols(path, timeoutMs);
  } catch (e) {
    warnings.push(`${path}: ${(e as Error).message}`);
    return null;
  }
}

export async function peeringStatus(dir: string, opts: StatusOptions = {}): Promise<PeeringStatus> {
  const map = readMuxMap(dir);
  const sockets = opts.sockets ?? true;
  const timeoutMs = opts.timeoutMs ?? 1000;
  const warnings = [...map.warnings];
  const neighbors = readBirdNeighbors(dir);
  const bird4 = sockets ? await birdProtocols(join(dir, 'var', 'bird.ctl'), timeoutMs, warnings) : null;
  const bird6 = sockets ? await birdProtocols(join(dir, 'var', 'bird6.ctl'), timeoutMs, warnings) : null;
  const muxes: MuxStatus[] = [];
  for (const m of map.muxes) {
    const iface = ifaceState(m.tap, opts.sysRoot);
    const updown = readUpdown(dir, m.mux);
    const notes: string[] = [];
    let openvpn: OpenvpnState | null = null;
    const sock = join(dir, 'var', `${m.mux}.sock`);
    if (sockets && existsSync(sock)) {
      try {
        openvpn = await queryOpenvpnState(sock, timeoutMs);
      } catch (e) {
        notes.push(`management socket: ${(e as Error).message}`);
      }
    }
    const up = iface.present && iface.up;
    if (updown.state === 'up' && !iface.present) notes.push(`var/${m.mux}.updown says up but ${m.tap} does not exist`);
    if (updown.state === 'down' && iface.present) notes.push(`var/${m.mux}.updown says down but ${m.tap} exists`);
    if (iface.present && !iface.up) notes.push(`${m.tap} is administratively down`);
    if (openvpn !== null && openvpn.state !== 'CONNECTED') notes.push(`OpenVPN state ${openvpn.state}`);
    const plan = planNeighbors(m.id);
    const n4 = neighbors.v4.get(m.mux)?.address ?? plan.v4;
    const n6 = neighbors.v6.get(m.mux)?.address ?? plan.v6;
    // One BIRD 2 instance may carry both families; the IPv6 session is then usually named <mux>6 or <mux>_v6.
    const b6 = bird6?.get(m.mux) ?? bird4?.get(`${m.mux}6`) ?? bird4?.get(`${m.mux}_v6`) ?? null;
    muxes.push({
      mux: m.mux,
      tap: m.tap,
      up,
      iface,
      updown,
      openvpn,
      localAddresses: iface.present ? ifaceAddresses(m.tap) : [],
      neighbor4: n4,
      neighbor6: n6,
      bgp4: bird4?.get(m.mux) ?? null,
      bgp6: b6,
      notes,
    });
  }
  return { dir, source: map.source, muxes, warnings };
}
