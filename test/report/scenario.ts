// A PEERING post-mortem scenario with a known story, written as two captures named like the client's
// per-tap files (`<mux>.<tapN>.pcap`), so every expected number in the report tests comes from the script
// below, not from bgpcap. Encoded with bench/lib/synth.ts (shares no code with the decoder); each message is
// one TCP segment at the time given here.
//
// amsterdam01 (tap5): client 100.69.128.2 ↔ mux 100.69.128.1, both AS 47065 (iBGP), hold time 90 s.
//   t=0      OPENs, KEEPALIVEs (established at t=0.002)
//   t=1      client announces 184.164.236.0/24, empty AS path              (first announcement)
//   t=2      mux sends 8.8.8.0/24 [3356 15169], 1.1.1.0/24 [3356 13335]
//   t=30,60,90 KEEPALIVEs both ways
//   t=61     client re-announces 184.164.236.0/24 [47065 3356 47065]     (path change 1, poisons 3356)
//   t=62     mux: 184.164.236.0/24 back from upstream [1299 47065 3356 47065]
//   t=63     mux: 184.164.236.0/24 [3356 47065 3356 47065]                (path change 2; 3356 leaks)
//   t=120    client withdraws 184.164.236.0/24
//   t=121    mux withdraws 184.164.236.0/24 and 8.8.8.0/24
//   t=200    client NOTIFICATION Cease/Administrative Shutdown "post-mortem test"
// seattle01 (tap3): client 100.70.128.2 ↔ mux 100.70.128.1, AS 47065, hold time 90 s.
//   t=0      OPENs, KEEPALIVEs
//   t=1      client announces 184.164.236.0/24, empty path, community 47065:1001
//   t=30..180 client KEEPALIVEs every 30 s; the mux sends nothing after t=0 (silence > hold time)
//   t=120    client withdraws 184.164.236.0/24
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PcapWriter, keepalive, notification, open, tcpFrame, update, v4, type Endpoint, type Prefix } from '../../bench/lib/synth.js';

export const T0 = 1_700_000_000;

const P236: Prefix = { addr: [184, 164, 236, 0], len: 24 };
const P8: Prefix = { addr: [8, 8, 8, 0], len: 24 };
const P1: Prefix = { addr: [1, 1, 1, 0], len: 24 };

interface Msg {
  t: number;
  /** true: client → mux (side a); false: mux → client. */
  fromClient: boolean;
  bytes: Uint8Array;
}

function writeCapture(file: string, client: Endpoint, mux: Endpoint, msgs: Msg[]): void {
  const w = new PcapWriter();
  const us = (t: number): number => Math.round((T0 + t) * 1e6);
  let seqC = 1000;
  let seqM = 5000;
  const SYN = 0x02;
  const ACK = 0x10;
  const PSH = 0x08;
  w.packet(us(-0.003), tcpFrame(client, mux, seqC, 0, SYN, new Uint8Array(0)));
  w.packet(us(-0.002), tcpFrame(mux, client, seqM, seqC + 1, SYN | ACK, new Uint8Array(0)));
  seqC++;
  seqM++;
  w.packet(us(-0.001), tcpFrame(client, mux, seqC, seqM, ACK, new Uint8Array(0)));
  for (const m of [...msgs].sort((x, y) => x.t - y.t)) {
    if (m.fromClient) {
      w.packet(us(m.t), tcpFrame(client, mux, seqC, seqM, ACK | PSH, m.bytes));
      seqC += m.bytes.length;
    } else {
      w.packet(us(m.t), tcpFrame(mux, client, seqM, seqC, ACK | PSH, m.bytes));
      seqM += m.bytes.length;
    }
  }
  writeFileSync(file, w.bytes());
}

function shutdown(text: string): Uint8Array {
  const b = Buffer.from(text, 'utf8');
  return notification(6, 2, [b.length, ...b]); // RFC 9003 §2: length, then UTF-8
}

/** Write both captures into `dir`; returns their paths. */
export function writeScenario(dir: string): { ams: string; sea: string } {
  const ams = join(dir, 'amsterdam01.tap5.pcap');
  const sea = join(dir, 'seattle01.tap3.pcap');
  const ac: Endpoint = { ip: v4('100.69.128.2'), port: 40001, mac: [2, 0, 0, 0, 0, 2] };
  const am: Endpoint = { ip: v4('100.69.128.1'), port: 179, mac: [2, 0, 0, 0, 0, 1] };
  const nhC = v4('100.69.128.2');
  const nhM = v4('100.69.0.29');
  const amsMsgs: Msg[] = [
    { t: 0, fromClient: true, bytes: open({ asn: 47065, bgpId: '100.69.128.2', holdTime: 90 }) },
    { t: 0.001, fromClient: false, bytes: open({ asn: 47065, bgpId: '100.69.128.1', holdTime: 90 }) },
    { t: 0.002, fromClient: true, bytes: keepalive() },
    { t: 0.003, fromClient: false, bytes: keepalive() },
    { t: 1, fromClient: true, bytes: update({ nlri: [P236], asPath: [], nextHop: nhC, localPref: 100 }) },
    { t: 2, fromClient: false, bytes: update({ nlri: [P8], asPath: [3356, 15169], nextHop: nhM, communities: [[47065, 10029]] }) },
    { t: 2.5, fromClient: false, bytes: update({ nlri: [P1], asPath: [3356, 13335], nextHop: nhM }) },
    { t: 61, fromClient: true, bytes: update({ nlri: [P236], asPath: [47065, 3356, 47065], nextHop: nhC, localPref: 100 }) },
    { t: 62, fromClient: false, bytes: update({ nlri: [P236], asPath: [1299, 47065, 3356, 47065], nextHop: nhM }) },
    { t: 63, fromClient: false, bytes: update({ nlri: [P236], asPath: [3356, 47065, 3356, 47065], nextHop: nhM }) },
    { t: 120, fromClient: true, bytes: update({ withdrawn: [P236] }) },
    { t: 121, fromClient: false, bytes: update({ withdrawn: [P236, P8] }) },
    { t: 200, fromClient: true, bytes: shutdown('post-mortem test') },
  ];
  for (const t of [30, 60, 90, 150, 180]) {
    amsMsgs.push({ t, fromClient: true, bytes: keepalive() }, { t: t + 0.5, fromClient: false, bytes: keepalive() });
  }
  writeCapture(ams, ac, am, amsMsgs);

  const sc: Endpoint = { ip: v4('100.70.128.2'), port: 40002, mac: [2, 0, 0, 0, 1, 2] };
  const sm: Endpoint = { ip: v4('100.70.128.1'), port: 179, mac: [2, 0, 0, 0, 1, 1] };
  const seaMsgs: Msg[] = [
    { t: 0, fromClient: true, bytes: open({ asn: 47065, bgpId: '100.70.128.2', holdTime: 90 }) },
    { t: 0.001, fromClient: false, bytes: open({ asn: 47065, bgpId: '100.70.128.1', holdTime: 90 }) },
    { t: 0.002, fromClient: true, bytes: keepalive() },
    { t: 0.003, fromClient: false, bytes: keepalive() },
    { t: 1, fromClient: true, bytes: update({ nlri: [P236], asPath: [], nextHop: v4('100.70.128.2'), communities: [[47065, 1001]] }) },
    { t: 120, fromClient: true, bytes: update({ withdrawn: [P236] }) },
  ];
  for (const t of [30, 60, 90, 150, 180]) seaMsgs.push({ t, fromClient: true, bytes: keepalive() });
  writeCapture(sea, sc, sm, seaMsgs);
  return { ams, sea };
}

/** What the story above gives, worked out by hand. */
export const EXPECTED = {
  sessions: 2,
  /** 184.164.236.0/24: amsterdam01 client A,A,W + mux A,A,W; seattle01 client A,W. */
  history236: 8,
  pathChanges236: 2,
  poisoned236: [3356],
  /** 3356 appears left of the first 47065 in [3356 47065 3356 47065]. */
  leaks236: [{ asn: 3356, mux: 'amsterdam01' }],
  /**
   * Rate points (seconds with prefixes, per direction): amsterdam01 client t=1,61,120 and mux t=2 (8.8.8.0
   * at 2.0, 1.1.1.0 at 2.5: one second),62,63,121 → 3 + 4; seattle01 client t=1,120 → 2.
   */
  points: { amsterdam01: 7, seattle01: 2 },
  /** The client's NOTIFICATION on amsterdam01; seattle01 has none. */
  notifications: 1,
  shutdownText: 'post-mortem test',
  /** seattle01's mux says nothing from t=0.003 to the end (t=180): longer than the 90 s hold time. */
  silences: { amsterdam01: 0, seattle01: 1 },
};
