// Synthetic captures of PEERING tunnels for the verify tests: `<mux>.<tapN>.pcap` files whose content is written
// here message by message (bench/lib/synth.ts encoders and its PcapWriter), so every expected verdict follows from
// what the test put on the wire, not from the code under test.
//
// Addresses follow PEERING's plan (PEERING.md §2.2): on tap N the mux is 100.{64+N}.128.1 and
// 2804:269c:ff00:{N:x}:1::1, the client (as the real client gets it from OpenVPN) 100.{64+N}.128.2 and
// 2804:269c:ff00:{N:x}:1::2. Both sides are AS 47065 (iBGP).

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PcapWriter, open, tcpFrame, update, v4, v6, type Endpoint, type Prefix, type UpdateSpec } from '../../bench/lib/synth.js';

export const T0 = 1_750_000_000; // capture epoch used by the tests (2025-06-15)

export function pfx(text: string): Prefix {
  const [a, l] = text.split('/') as [string, string];
  return { addr: a.includes(':') ? v6(a) : v4(a), len: Number(l) };
}

/** Ethernet + IPv6 + TCP frame (synth.ts only builds IPv4). Checksums left zero, as synth.ts does. */
function tcp6Frame(src: { ip: number[]; port: number; mac: number[] }, dst: { ip: number[]; port: number; mac: number[] }, seq: number, ack: number, flags: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(14 + 40 + 20 + payload.length);
  const dv = new DataView(out.buffer);
  out.set(dst.mac, 0);
  out.set(src.mac, 6);
  dv.setUint16(12, 0x86dd);
  dv.setUint32(14, 0x60000000); // version 6
  dv.setUint16(18, 20 + payload.length); // payload length
  out[20] = 6; // next header TCP
  out[21] = 64; // hop limit
  out.set(src.ip, 22);
  out.set(dst.ip, 38);
  const t = 54;
  dv.setUint16(t, src.port);
  dv.setUint16(t + 2, dst.port);
  dv.setUint32(t + 4, seq >>> 0);
  dv.setUint32(t + 8, ack >>> 0);
  out[t + 12] = 5 << 4;
  out[t + 13] = flags;
  dv.setUint16(t + 14, 65535);
  out.set(payload, t + 20);
  return out;
}

const SYN = 0x02;
const ACK = 0x10;
const PSH = 0x08;

export class TapSession {
  private seqC: number;
  private seqM: number;
  constructor(
    private readonly tap: TapCapture,
    readonly family: 4 | 6,
    readonly client: Endpoint,
    readonly mux: Endpoint,
  ) {
    this.seqC = 1000 + tap.n * 7 + family;
    this.seqM = 900000 + tap.n * 11 + family;
  }

  /** TCP handshake (client connects to the mux's port 179) at time t. */
  connect(t: number): this {
    this.frame(t, true, SYN, new Uint8Array(0), false);
    this.frame(t + 0.0001, false, SYN | ACK, new Uint8Array(0), false);
    this.seqC++;
    this.seqM++;
    this.frame(t + 0.0002, true, ACK, new Uint8Array(0), false);
    return this;
  }

  /** Both OPENs (AS 47065, 4-octet AS, the family's multiprotocol capability), then KEEPALIVEs. */
  opens(t: number): this {
    const fam: [number, number][] = [[this.family === 4 ? 1 : 2, 1]];
    this.send(t, true, open({ asn: 47065, bgpId: `10.0.${this.tap.n}.2`, families: fam, holdTime: 240 }));
    this.send(t + 0.001, false, open({ asn: 47065, bgpId: `10.0.${this.tap.n}.1`, families: fam, holdTime: 240 }));
    this.send(t + 0.002, true, KEEPALIVE);
    this.send(t + 0.003, false, KEEPALIVE);
    return this;
  }

  /** An UPDATE from the client to the mux. */
  toMux(t: number, u: UpdateSpec): this {
    return this.send(t, true, update({ localPref: 100, ...u }));
  }

  /** An UPDATE from the mux to the client (a route learned from an upstream). */
  fromMux(t: number, u: UpdateSpec): this {
    return this.send(t, false, update(u));
  }

  send(t: number, fromClient: boolean, msg: Uint8Array): this {
    this.frame(t, fromClient, ACK | PSH, msg, true);
    return this;
  }

  private frame(t: number, fromClient: boolean, flags: number, payload: Uint8Array, advance: boolean): void {
    const [src, dst] = fromClient ? [this.client, this.mux] : [this.mux, this.client];
    const seq = fromClient ? this.seqC : this.seqM;
    const ack = fromClient ? this.seqM : this.seqC;
    const f = this.family === 4 ? tcpFrame(src, dst, seq, ack, flags, payload) : tcp6Frame(src, dst, seq, ack, flags, payload);
    this.tap.add(t, f);
    if (advance) {
      if (fromClient) this.seqC = (this.seqC + payload.length) >>> 0;
      else this.seqM = (this.seqM + payload.length) >>> 0;
    }
  }
}

const KEEPALIVE = (() => {
  const b = new Uint8Array(19).fill(0xff);
  b[16] = 0;
  b[17] = 19;
  b[18] = 4;
  return b;
})();

export class TapCapture {
  private readonly packets: { t: number; frame: Uint8Array }[] = [];
  readonly clientV4: string;
  readonly muxV4: string;
  readonly clientV6: string;
  readonly muxV6: string;
  constructor(
    readonly mux: string,
    readonly n: number,
  ) {
    this.clientV4 = `100.${64 + n}.128.2`;
    this.muxV4 = `100.${64 + n}.128.1`;
    this.clientV6 = `2804:269c:ff00:${n.toString(16)}:1::2`;
    this.muxV6 = `2804:269c:ff00:${n.toString(16)}:1::1`;
  }

  session(family: 4 | 6, clientPort = 40000 + this.n): TapSession {
    const cm = [0x02, 0, 0, 0, this.n, 2];
    const mm = [0x02, 0, 0, 0, this.n, 1];
    const c: Endpoint = { ip: family === 4 ? v4(this.clientV4) : v6(this.clientV6), port: clientPort, mac: cm };
    const m: Endpoint = { ip: family === 4 ? v4(this.muxV4) : v6(this.muxV6), port: 179, mac: mm };
    return new TapSession(this, family, c, m);
  }

  add(t: number, frame: Uint8Array): void {
    this.packets.push({ t, frame });
  }

  /** Write `<mux>.tap<N>.pcap` into dir (packets in time order) and return its path. */
  write(dir: string, name = `${this.mux}.tap${this.n}.pcap`): string {
    const w = new PcapWriter();
    const sorted = this.packets.map((p, i) => ({ ...p, i })).sort((a, b) => a.t - b.t || a.i - b.i);
    for (const p of sorted) w.packet(Math.round(p.t * 1e6), p.frame);
    const path = join(dir, name);
    writeFileSync(path, w.bytes());
    return path;
  }
}
