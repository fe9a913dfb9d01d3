// `--preset bgpdump` against the real bgpdump (Debian package bgpdump, RIPE NCC bgpdump 1.6): the BGP messages
// of a capture are written into an MRT file (RFC 6396) exactly as a route collector would have recorded them,
// `bgpdump -m` prints that file, and its lines must equal `bgpcap read --preset bgpdump` on the capture, line
// for line, in order.
//
// The MRT file is built from bgpcap's own jsonl (`--raw`: the message bytes, sender/receiver addresses and
// ASNs, time); bgpdump then decodes those bytes itself, so every column bgpdump prints from the message (prefix,
// AS path with its AS4_PATH merge, origin, next hop, LOCAL_PREF, MED, communities, atomic aggregate,
// aggregator, path ids) is an independent check. What the MRT carries is what we give it:
//   - the time: BGP4MP records (type 16) hold whole seconds, so bgpdump prints floor(timestamp), and so does
//     the preset;
//   - the peer address and ASN: the sender of the message (peer_ip/peer_asn, from the OPENs), as a collector
//     records the messages it receives. Two cases cannot be written as bgpcap knows them, and the test maps
//     bgpdump's peer ASN column back for exactly those records: a 4-octet peer ASN in a 2-octet record
//     (BGP4MP_MESSAGE has a 2-octet Peer AS field; a collector writes AS_TRANS 23456, RFC 6793 §2), and a peer
//     whose OPEN the capture lost (bgpcap prints an empty ASN; the MRT field needs a number, 0 is written);
//   - the subtype: the 4-octet AS forms (BGP4MP_MESSAGE_AS4 = 4, _AS4_ADDPATH = 9) when both OPENs of the
//     session carried the 4-octet AS capability, else the 2-octet forms (BGP4MP_MESSAGE = 1, _ADDPATH = 8),
//     because bgpdump reads AS_PATH with the ASN size of the subtype (RFC 6396 §4.4.3 / RFC 8050 §3). When
//     the capture lost one OPEN of a session, the 4-octet question is answered by bgpcap's own inference (the
//     record's `inferred.as4`), else 4-octet; bgpdump still decodes every byte itself. The ADDPATH forms are
//     used for a message that carries path ids (RFC 7911), as RFC 8050 prescribes.
// Messages bgpcap reports as malformed are left out of the MRT: the preset writes no line for them (bgpdump
// would print whatever it makes of the broken bytes, which is not what this test is about).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseIpv4, parseIpv6 } from '../../src/wire/ip.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'dist/cli.js');
const corpus = join(root, '../shared/corpus');
const tmp = mkdtempSync(join(tmpdir(), 'bgpcap-bgpdump-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const hasBgpdump = spawnSync('bgpdump', ['-T'], { stdio: 'ignore' }).status !== null;

interface Rec {
  timestamp: number;
  peer_ip: string | null;
  peer_asn: number | null;
  local_ip: string | null;
  local_asn: number | null;
  src_port: number | null;
  dst_port: number | null;
  msg_type?: string;
  raw?: string;
  error?: unknown;
  open?: { capabilities: { code: number }[] };
  announcements?: { path_ids?: number[] }[];
  withdrawal_path_ids?: unknown[] | null;
  inferred?: { as4?: boolean } | null;
  event?: string;
}

function bgpcap(args: string[]): string {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, env: { ...process.env, CI: '1' } });
  if (r.status !== 0) throw new Error(`bgpcap ${args.join(' ')}: status ${r.status}: ${r.stderr}`);
  return r.stdout;
}

function ipBytes(ip: string): Uint8Array {
  const b = ip.includes(':') ? parseIpv6(ip) : parseIpv4(ip);
  if (b === null) throw new Error(`bad address ${ip}`);
  return b;
}

/**
 * One MRT record (RFC 6396 §2 common header: Timestamp 4, Type 2, Subtype 2, Length 4) of type BGP4MP (16)
 * holding a BGP message (§4.4.2 BGP4MP_MESSAGE / §4.4.3 BGP4MP_MESSAGE_AS4, RFC 8050 §3 ADDPATH variants):
 * Peer AS, Local AS (2 or 4 octets), Interface Index (2), Address Family (2: 1 IPv4, 2 IPv6), Peer IP, Local
 * IP (4 or 16 octets), then the BGP message with its marker.
 */
function mrtRecord(sec: number, subtype: number, peerAs: number, localAs: number, peerIp: string, localIp: string, msg: Uint8Array): Buffer {
  const as4 = subtype === 4 || subtype === 9;
  const p = ipBytes(peerIp);
  const l = ipBytes(localIp);
  const asLen = as4 ? 4 : 2;
  const body = Buffer.alloc(2 * asLen + 4 + p.length + l.length + msg.length);
  let o = 0;
  if (as4) {
    body.writeUInt32BE(peerAs, 0);
    body.writeUInt32BE(localAs, 4);
  } else {
    body.writeUInt16BE(peerAs, 0);
    body.writeUInt16BE(localAs, 2);
  }
  o = 2 * asLen;
  body.writeUInt16BE(0, o); // interface index: not known, 0
  body.writeUInt16BE(p.length === 16 ? 2 : 1, o + 2);
  o += 4;
  body.set(p, o);
  body.set(l, o + p.length);
  body.set(msg, o + p.length + l.length);
  const h = Buffer.alloc(12);
  h.writeUInt32BE(sec, 0);
  h.writeUInt16BE(16, 4); // BGP4MP
  h.writeUInt16BE(subtype, 6);
  h.writeUInt32BE(body.length, 8);
  return Buffer.concat([h, body]);
}

const key = (ip: string | null, port: number | null) => `${ip}:${port}`;

/** RFC 6793 §2: the 2-octet stand-in for a 4-octet ASN. */
const AS_TRANS = 23456;

interface Mrt {
  mrt: Buffer;
  written: number;
  /** Records whose session's 4-octet question was answered by inference (one or both OPENs not captured). */
  inferred: number;
  /** `peer_ip|asn written into the MRT` → the ASN text bgpcap prints for that peer, where the two differ. */
  asnText: Map<string, string>;
}

/** The capture as MRT, from bgpcap's jsonl. */
function captureToMrt(records: Rec[]): Mrt {
  // OPEN sent by each endpoint (address:port), to tell whether both sides carried capability 65.
  const as4Cap = new Map<string, boolean>();
  for (const r of records) {
    if (r.msg_type === 'OPEN' && r.open) as4Cap.set(key(r.peer_ip, r.src_port), r.open.capabilities.some((c) => c.code === 65));
  }
  const parts: Buffer[] = [];
  const asnText = new Map<string, string>();
  let inferred = 0;
  for (const r of records) {
    if (r.event !== undefined || r.raw === undefined || r.error !== undefined) continue;
    if (r.peer_ip === null || r.local_ip === null) throw new Error('message record without addresses');
    const a = as4Cap.get(key(r.peer_ip, r.src_port));
    const b = as4Cap.get(key(r.local_ip, r.dst_port));
    let as4: boolean;
    if (a === false || b === false) as4 = false;
    else if (a === true && b === true) as4 = true;
    else {
      as4 = r.inferred?.as4 ?? true;
      inferred++;
    }
    const addPath =
      (r.announcements ?? []).some((x) => x.path_ids !== undefined) || (Array.isArray(r.withdrawal_path_ids) && r.withdrawal_path_ids.length > 0);
    const subtype = as4 ? (addPath ? 9 : 4) : addPath ? 8 : 1;
    const fit = (asn: number | null) => (asn === null ? 0 : !as4 && asn > 0xffff ? AS_TRANS : asn);
    const peerAs = fit(r.peer_asn);
    if (r.peer_asn === null || peerAs !== r.peer_asn) asnText.set(`${r.peer_ip}|${peerAs}`, r.peer_asn === null ? '' : String(r.peer_asn));
    parts.push(mrtRecord(Math.floor(r.timestamp), subtype, peerAs, fit(r.local_asn), r.peer_ip, r.local_ip, Buffer.from(r.raw, 'hex')));
  }
  return { mrt: Buffer.concat(parts), written: parts.length, inferred, asnText };
}

/** bgpdump's line with the peer ASN column (5th) as bgpcap prints it, for the peers listed in `asnText`. */
function mapPeerAsn(line: string, asnText: ReadonlyMap<string, string>): string {
  const f = line.split('|');
  const t = asnText.get(`${f[3]}|${f[4]}`);
  if (t === undefined) return line;
  f[4] = t;
  return f.join('|');
}

function lines(s: string): string[] {
  return s.split('\n').filter((l) => l !== '');
}

interface Case {
  file: string;
  why: string;
  /** Lines expected at least (a capture that silently produced nothing would prove nothing). */
  minLines: number;
  /** Messages of sessions with a lost OPEN (decoded with bgpcap's inference), as the capture has them. */
  inferred?: number;
}

const CASES: Case[] = [
  { file: join(root, 'fixtures/bird-ipv4-ipv6.pcap'), why: 'BIRD: classic NLRI, IPv6 MP_REACH/UNREACH, communities, MED, withdrawals', minLines: 100 },
  { file: join(root, 'fixtures/bird-addpath.pcap'), why: 'ADD-PATH path ids (BGP4MP_AP lines)', minLines: 100 },
  { file: join(corpus, 'DanieleDeSensi_peafowl/test__pcaps__bgp.pcap'), why: '2-octet session, AS_SET, AGGREGATOR, ATOMIC_AGGREGATE, communities', minLines: 3 },
  { file: join(corpus, 'the-tcpdump-group_tcpdump/tests__bgp-4byte-asn.pcap'), why: 'AS4_PATH merged by bgpdump on 2-octet sessions', minLines: 5 },
  { file: join(corpus, 'the-tcpdump-group_tcpdump/tests__bgp-role.pcapng'), why: 'FRR: large communities, OTC; one OPEN lost', minLines: 5, inferred: 12 },
  { file: join(corpus, 'ddddddO_packemon/cmd__debugging__bgp__bgp.pcap'), why: 'FRR: only End-of-RIB UPDATEs, neither prints a line', minLines: 0, inferred: 1 },
  { file: join(corpus, 'the-tcpdump-group_tcpdump/tests__bgp-large-community.pcap'), why: 'large communities; no OPEN captured', minLines: 1, inferred: 5 },
  { file: join(corpus, 'the-tcpdump-group_tcpdump/tests__mpbgp-linklocal-nexthop.pcap'), why: 'IPv6 next hop with link-local; no OPEN', minLines: 1, inferred: 1 },
  { file: join(corpus, 'ntop_nDPI/tests__cfgs__default__pcap__BGP_Cisco_hdlc_slarp.pcap'), why: 'Cisco over PPP, 4-octet AS_PATH', minLines: 1 },
];

describe.skipIf(!hasBgpdump)('--preset bgpdump equals bgpdump -m on the same messages', () => {
  for (const c of CASES) {
    it.skipIf(!existsSync(c.file))(`${c.file.replace(/^.*\/(fixtures|corpus)\//, '')} (${c.why})`, () => {
      const records = lines(bgpcap(['read', '-f', 'jsonl', '--raw', c.file])).map((l) => JSON.parse(l) as Rec);
      const { mrt, written, inferred, asnText } = captureToMrt(records);
      expect(inferred).toBe(c.inferred ?? 0);
      expect(written).toBeGreaterThan(0);
      const mrtFile = join(tmp, `${c.file.replace(/[^a-zA-Z0-9]+/g, '_')}.mrt`);
      writeFileSync(mrtFile, mrt);
      const dump = spawnSync('bgpdump', ['-m', '-v', mrtFile], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
      expect(dump.status).toBe(0);
      const expected = lines(dump.stdout).map((l) => mapPeerAsn(l, asnText));
      const actual = lines(bgpcap(['read', '--preset', 'bgpdump', c.file]));
      expect(expected.length).toBeGreaterThanOrEqual(c.minLines);
      expect(actual).toEqual(expected);
    });
  }
});

describe.skipIf(!hasBgpdump)('the MRT writer itself', () => {
  it('bgpdump reads a hand-built record with the fields it was given', () => {
    // UPDATE: ORIGIN IGP, AS_PATH AS_SEQUENCE [65001], NEXT_HOP 192.0.2.1, NLRI 10.0.7.0/24 (RFC 4271 §4.3).
    const msg = Buffer.from(
      'ffffffffffffffffffffffffffffffff' + '002f' + '02' + '0000' + '0014' + '40010100' + '400206020100' + '00fde9' + '400304c0000201' + '180a0007',
      'hex',
    );
    writeFileSync(join(tmp, 'one.mrt'), mrtRecord(1700000007, 4, 65001, 65002, '192.0.2.1', '192.0.2.2', msg));
    const dump = spawnSync('bgpdump', ['-m', '-v', join(tmp, 'one.mrt')], { encoding: 'utf8' });
    expect(lines(dump.stdout)).toEqual(['BGP4MP|1700000007|A|192.0.2.1|65001|10.0.7.0/24|65001|IGP|192.0.2.1|0|0||NAG||']);
  });
});
