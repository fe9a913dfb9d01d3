// Full-table upstream for the lab: a BGP speaker that sends a large synthetic IPv4 table to one neighbour
// (a mux's BIRD) and then keeps the session up. BIRD holds and re-advertises what it receives, so the mux
// passes the table on to the client over its tunnel, as a PEERING mux streams its upstreams' tables.
//
//   node feeder.mjs <neighbor-ip> <local-ip> <my-asn> <count> [seed] [routes-per-second]
//
// Prints `established`, then `sent <count> <updates>` once every prefix is written, and runs until SIGTERM.
// The table is encoded before the session starts (1,000,000 routes take about a second), then only written: as
// fast as the socket takes it, or paced to <routes-per-second> (0: unpaced), like an upstream behind a slower
// path; the mux's BIRD passes it on at about that rate.
// The table: /24s counted up from 11.0.0.0, in groups of 1–8 prefixes sharing attributes (real tables carry 2–3
// prefixes per UPDATE on average), AS paths of 2–6 hops starting with <my-asn>, and on a third of the groups
// one or two communities — so the mux's BIRD re-packs them into many UPDATEs, as a real full table is.
//
// Wire formats: RFC 4271 §4 (messages, path attributes), RFC 6793 (4-octet AS_PATH once both sides sent
// capability 65), RFC 4760 (capability 1 multiprotocol IPv4 unicast), RFC 1997 (COMMUNITIES).
import { connect } from 'node:net';

const [nbr, local, asnArg, countArg, seedArg, rateArg] = process.argv.slice(2);
const RATE = Number(rateArg ?? 0);
const MY_AS = Number(asnArg);
const COUNT = Number(countArg);
let seed = Number(seedArg ?? 1) >>> 0 || 1;
function rnd(n) {
  // xorshift32: the same table for the same seed
  seed ^= seed << 13;
  seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  seed >>>= 0;
  return seed % n;
}

function message(type, body) {
  const m = Buffer.alloc(19 + body.length, 0xff);
  m.writeUInt16BE(19 + body.length, 16);
  m[18] = type;
  body.copy(m, 19);
  return m;
}

function open() {
  // Capabilities (RFC 5492): MP IPv4 unicast (1: afi 1, reserved, safi 1); 4-octet AS (65).
  const caps = Buffer.from([2, 6, 1, 4, 0, 1, 0, 1, 2, 6, 65, 4, 0, 0, 0, 0]);
  caps.writeUInt32BE(MY_AS, 12);
  const b = Buffer.alloc(10);
  b[0] = 4;
  b.writeUInt16BE(MY_AS > 0xffff ? 23456 : MY_AS, 1);
  b.writeUInt16BE(90, 3);
  Buffer.from(local.split('.').map(Number)).copy(b, 5);
  b[9] = caps.length;
  return message(1, Buffer.concat([b, caps]));
}

const KEEPALIVE = message(4, Buffer.alloc(0));

function attr(flags, code, value) {
  return Buffer.concat([Buffer.from([flags, code, value.length]), value]);
}

function update(nlri, path, communities) {
  const p = Buffer.alloc(2 + 4 * path.length);
  p[0] = 2; // AS_SEQUENCE
  p[1] = path.length;
  path.forEach((a, i) => p.writeUInt32BE(a, 2 + 4 * i));
  const attrs = [attr(0x40, 1, Buffer.from([0])), attr(0x40, 2, p), attr(0x40, 3, Buffer.from(local.split('.').map(Number)))];
  if (communities.length > 0) {
    const c = Buffer.alloc(4 * communities.length);
    communities.forEach(([a, v], i) => {
      c.writeUInt16BE(a, 4 * i);
      c.writeUInt16BE(v, 4 * i + 2);
    });
    attrs.push(attr(0xc0, 8, c));
  }
  const pa = Buffer.concat(attrs);
  const head = Buffer.alloc(4);
  head.writeUInt16BE(0, 0);
  head.writeUInt16BE(pa.length, 2);
  return message(2, Buffer.concat([head, pa, nlri]));
}

function prefix(i) {
  const a = 11 + (i >>> 16);
  return Buffer.from([24, a, (i >>> 8) & 255, i & 255]);
}

// The whole table is encoded before connecting, in batches of about 64 KiB: the feeder stands for an upstream
// on another machine, so while the table flows its CPU time here should stay near nothing, leaving the cores
// to the BIRDs, OpenVPN and whatever captures on the client.
const table = [];
let tableUpdates = 0;
{
  // Paced: batches of ~8 KiB, so a batch is ~2 ms of routes at 200k/s; unpaced: ~64 KiB.
  const batchBytes = RATE > 0 ? 8192 : 65536;
  let i = 0;
  let batch = [];
  let size = 0;
  let routes = 0;
  while (i < COUNT) {
    const n = Math.min(1 + rnd(8), COUNT - i);
    const nlri = Buffer.concat(Array.from({ length: n }, (_, k) => prefix(i + k)));
    const hops = 1 + rnd(5);
    const path = [MY_AS];
    for (let h = 0; h < hops; h++) path.push(64512 + rnd(1000) + h * 1000);
    const comms = rnd(3) === 0 ? [[MY_AS & 0xffff, rnd(1000)]].concat(rnd(2) ? [[65000, rnd(100)]] : []) : [];
    i += n;
    routes += n;
    tableUpdates++;
    const u = update(nlri, path, comms);
    batch.push(u);
    size += u.length;
    if (size >= batchBytes || i >= COUNT) {
      table.push({ buf: Buffer.concat(batch, size), routes });
      batch = [];
      size = 0;
      routes = 0;
    }
  }
}

const sock = connect({ host: nbr, port: 179, localAddress: local });
sock.setNoDelay(true);
let got = Buffer.alloc(0);
let state = 'opensent';
let timer = null;
sock.on('connect', () => sock.write(open()));
sock.on('data', (d) => {
  got = Buffer.concat([got, d]);
  while (got.length >= 19) {
    const len = got.readUInt16BE(16);
    if (got.length < len) break;
    const type = got[18];
    got = got.subarray(len);
    if (type === 1) sock.write(KEEPALIVE);
    if (type === 3) {
      process.stderr.write('feeder: NOTIFICATION received\n');
      process.exit(1);
    }
    if (type === 4 && state === 'opensent') {
      state = 'established';
      process.stdout.write('established\n');
      timer = setInterval(() => sock.write(KEEPALIVE), 3000);
      void sendTable();
    }
  }
});
sock.on('error', (e) => {
  process.stderr.write(`feeder: ${e.message}\n`);
  process.exit(1);
});
sock.on('close', () => process.exit(state === 'done' ? 0 : 1));
process.on('SIGTERM', () => {
  state = 'done';
  if (timer) clearInterval(timer);
  sock.end();
  setTimeout(() => process.exit(0), 200);
});

async function sendTable() {
  const start = performance.now();
  let sent = 0;
  for (const b of table) {
    if (RATE > 0) {
      // Not ahead of the schedule: `sent` routes are due `sent / RATE` seconds after the start.
      const due = start + (sent / RATE) * 1000;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    sent += b.routes;
    if (!sock.write(b.buf)) await new Promise((r) => sock.once('drain', r));
  }
  // End-of-RIB (RFC 4724 §2): an UPDATE with no withdrawn routes, no attributes and no NLRI.
  sock.write(message(2, Buffer.alloc(4)));
  process.stdout.write(`sent ${COUNT} ${tableUpdates}\n`);
}
