// ROUTE-REFRESH (RFC 2918 §3): RFC 7313 §3.2 subtypes, and the RFC 5291 §4 ORF part with RFC 5292 §3
// address prefix entries — hand-annotated bytes, then the corpus against tshark 4.0 and tcpdump.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeMessage } from '../../src/bgp/decode.js';
import type { RouteRefreshMessage } from '../../src/bgp/model.js';
import { AS4, bgp } from './helpers.js';
import { find, findAll, hasTshark, tsharkMessages } from './tshark.js';

const rr = (...body: string[]) => decodeMessage(bgp(5, ...body), AS4);
const msg = (...body: string[]) => rr(...body).msg as RouteRefreshMessage;

/** ORF group: type (1), length (2, computed), entries. */
const group = (type: string, entries: string) => {
  const e = entries.replace(/\s+/g, '');
  return type + (e.length / 2).toString(16).padStart(4, '0') + e;
};

describe('subtypes (RFC 7313 §3.2)', () => {
  it('names 0 normal, 1 BoRR, 2 EoRR; others SUBTYPE_<n>', () => {
    expect([0, 1, 2, 3, 255].map((s) => msg('0001', s.toString(16).padStart(2, '0'), '01').subtype_name)).toEqual([
      'normal',
      'BoRR',
      'EoRR',
      'SUBTYPE_3',
      'SUBTYPE_255',
    ]);
    expect(rr('0002', '00', '01')).toEqual({
      msg: { kind: 'route_refresh', afi: 2, safi: 1, subtype: 0, subtype_name: 'normal', orf: null, data_hex: '' },
      error: null,
      inferred: null,
    });
  });
  it('a BoRR/EoRR with more than the 4-byte body is an invalid length (RFC 7313 §5); no ORF is read from it', () => {
    const r = rr('0001', '01', '01', '01 40 0001 00');
    expect(r.msg).toMatchObject({ subtype: 1, orf: null, data_hex: '0140000100' });
    expect(r.error).toMatchObject({ code: 'route_refresh_length', offset: 23 });
  });
  it('a reserved subtype with data is shown as is, without ORF and without error', () => {
    expect(rr('0001', '07', '01', 'abcd')).toMatchObject({ error: null, msg: { orf: null, data_hex: 'abcd' } });
  });
});

describe('ORF entries (RFC 5291 §4, RFC 5292 §3)', () => {
  it('decodes when-to-refresh and address prefix entries: add/remove, permit/deny, sequence, min/max length, prefix', () => {
    const r = rr(
      '0001',
      '00',
      '01',
      '01' + // When-to-refresh IMMEDIATE
        group(
          '40', // Address Prefix ORF
          '00 0000000a 18 20 10 0a00' + // ADD PERMIT seq 10, minlen 24, maxlen 32, 10.0.0.0/16
            '60 00000014 00 00 18 c00002' + // 0x60: action 1 REMOVE, match 1 DENY; seq 20, 192.0.2.0/24
            '20 0000001e 00 00 00' + // ADD DENY seq 30, 0.0.0.0/0 (no address octets)
            '80', // 0x80: action 2 REMOVE-ALL, the common part alone
        ),
    );
    expect(r.error).toBeNull();
    expect((r.msg as RouteRefreshMessage).orf).toEqual({
      when_to_refresh: 'immediate',
      groups: [
        {
          type: 64,
          name: 'address_prefix',
          hex: '000000000a1820100a00' + '6000000014000018c00002' + '200000001e000000' + '80',
          entries: [
            { action: 'add', match: 'permit', sequence: 10, min_len: 24, max_len: 32, prefix: '10.0.0.0/16' },
            { action: 'remove', match: 'deny', sequence: 20, min_len: 0, max_len: 0, prefix: '192.0.2.0/24' },
            { action: 'add', match: 'deny', sequence: 30, min_len: 0, max_len: 0, prefix: '0.0.0.0/0' },
            { action: 'remove-all', match: 'permit', sequence: null, min_len: null, max_len: null, prefix: null },
          ],
        },
      ],
    });
  });

  it('IPv6 prefixes for AFI 2, several groups, other ORF types kept as hex, DEFER', () => {
    const o = msg('0002', '00', '01', '02' + group('80', '00 00000001 30 40 20 20010db8') + group('41', 'aabbcc')).orf;
    expect(o).toEqual({
      when_to_refresh: 'defer',
      groups: [
        {
          type: 128,
          name: 'address_prefix_cisco',
          hex: '000000000130402020010db8',
          entries: [{ action: 'add', match: 'permit', sequence: 1, min_len: 48, max_len: 64, prefix: '2001:db8::/32' }],
        },
        { type: 65, name: 'cp_orf', hex: 'aabbcc', entries: null },
      ],
    });
    // An AFI other than IPv4/IPv6: entries are not read (their prefix format is unknown).
    expect(msg('0019', '00', '46', '01' + group('40', '00 00000001 00 00 00')).orf!.groups[0]).toMatchObject({ entries: null });
  });

  it('action 3 (undefined in RFC 5291; FRR’s REMOVE-ALL, 0xC0) is the common part alone', () => {
    expect(msg('0001', '00', '01', '02' + group('40', 'c0')).orf).toEqual({
      when_to_refresh: 'defer',
      groups: [{ type: 64, name: 'address_prefix', hex: 'c0', entries: [{ action: 'action_3', match: 'permit', sequence: null, min_len: null, max_len: null, prefix: null }] }],
    });
    expect(msg('0001', '00', '01', '05' + group('40', '')).orf).toEqual({
      when_to_refresh: 'WHEN_5',
      groups: [{ type: 64, name: 'address_prefix', hex: '', entries: [] }],
    });
  });

  it('reports malformed ORF parts with the offset, keeping the groups decoded before and every byte in data_hex', () => {
    // When-to-refresh alone.
    expect(rr('0001', '00', '01', '01')).toMatchObject({ msg: { orf: { when_to_refresh: 'immediate', groups: [] } }, error: { code: 'orf_truncated', offset: 24 } });
    // A group length past the message: the first group is kept.
    const past = rr('0001', '00', '01', '01' + group('41', 'aa') + '40 0010 00');
    expect(past.msg).toMatchObject({ orf: { groups: [{ type: 65, hex: 'aa' }] }, data_hex: '0141000' + '1aa40001000' });
    expect(past.error).toMatchObject({ code: 'orf_length', offset: 29 });
    // Entry shorter than the 8 octets before its prefix; prefix longer than 32 bits; address octets missing.
    expect(rr('0001', '00', '01', '01' + group('40', '00 00000001 00')).error).toMatchObject({ code: 'orf_entry_truncated', offset: 27 });
    const long = rr('0001', '00', '01', '01' + group('40', '00 00000001 00 00 21 0a000000'));
    expect(long.error).toMatchObject({ code: 'orf_prefix_length', offset: 34 });
    expect((long.msg as RouteRefreshMessage).orf!.groups[0]!.entries).toBeNull();
    expect(rr('0001', '00', '01', '01' + group('40', '00 00000001 00 00 18 0a00')).error).toMatchObject({ code: 'orf_entry_truncated', offset: 35 });
  });
});

// ---------------------------------------------------------------------------------------------- corpus

const CORPUS = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));
const haveCorpus = existsSync(CORPUS);

describe.skipIf(!haveCorpus || !hasTshark())('corpus ROUTE-REFRESH messages', () => {
  const of = (file: string) => tsharkMessages(CORPUS + file).filter((m) => m.bytes[18] === 5);

  it('AFI, subtype and SAFI as tshark shows them (subtypes 0, 1, 2)', () => {
    let n = 0;
    const subtypes = new Set<number>();
    for (const f of [
      'the-tcpdump-group_tcpdump/tests__bgp-enhanced-route-refresh-subtype.pcapng',
      'ntop_nDPI/tests__cfgs__default__pcap__BGP_Cisco_hdlc_slarp.pcap',
      'the-tcpdump-group_tcpdump/tests__bgp-orf.pcapng',
      'bgpkit_bgpkit-parser/tests__fixtures__packetlife__bgp_orf_prefix_advertisement.pcapng.cap',
    ]) {
      for (const m of of(f)) {
        n++;
        const d = decodeMessage(m.bytes, AS4).msg as RouteRefreshMessage;
        const t = ['bgp.route_refresh.afi', 'bgp.route_refresh.subtype', 'bgp.route_refresh.safi'].map((k) => Number(find(m.node, k)!.show));
        expect([d.afi, d.subtype, d.safi], `${f} frame ${m.frame}`).toEqual(t);
        subtypes.add(d.subtype);
      }
    }
    expect(n).toBeGreaterThanOrEqual(7);
    expect([...subtypes].sort()).toEqual([0, 1, 2]);
  });

  it('Cisco prefix-list ORF entries as tshark decodes them (packetlife bgp_orf_prefix_advertisement)', () => {
    const [m] = of('bgpkit_bgpkit-parser/tests__fixtures__packetlife__bgp_orf_prefix_advertisement.pcapng.cap');
    const r = decodeMessage(m!.bytes, AS4);
    expect(r.error).toBeNull();
    const o = (r.msg as RouteRefreshMessage).orf!;
    const orfNode = find(m!.node, 'bgp.route_refresh.orf')!;
    expect(o.when_to_refresh).toBe(['', 'immediate', 'defer'][Number(find(orfNode, 'bgp.route_refresh.orf.flag')!.show)]);
    expect(o.groups.map((g) => [g.type, g.hex.length / 2])).toEqual([
      [Number(find(orfNode, 'bgp.route_refresh.orf.type')!.show), Number(find(orfNode, 'bgp.route_refresh.orf.length')!.show)],
    ]);
    const theirs = findAll(orfNode, 'bgp.route_refresh.orf.entry').map((e) => ({
      action: ['add', 'remove', 'remove-all'][Number(find(e, 'bgp.route_refresh.orf.entry.action')!.show)],
      match: find(e, 'bgp.route_refresh.orf.entry.match')!.show === '1' ? 'deny' : 'permit',
      sequence: Number(find(e, 'bgp.route_refresh.orf.entry.sequence')!.show),
      min_len: Number(find(e, 'bgp.route_refresh.orf.entry.prefixmask_lower')!.show),
      max_len: Number(find(e, 'bgp.route_refresh.orf.entry.prefixmask_upper')!.show),
      prefix: e.children.find((c) => c.name === '' && c.show.includes('/'))!.show,
    }));
    expect(theirs).toHaveLength(2); // 1.1.0.0/21 deny ge 24 le 24, 0.0.0.0/0 permit le 32
    expect(o.groups[0]!.entries).toEqual(theirs);
  });

  it('address prefix ORF from FRR (tcpdump tests/bgp-orf.out: "ORF refresh Defer (2), ORF type Address Prefix ORF (64), ORF length 1" then "Immediate (1) ... length 24")', () => {
    // tshark 4.0 decodes entries of the Cisco type only; the entries are annotated from the bytes:
    //   frame 1 message 1: 02 | 40 0001 | c0                       FRR's REMOVE-ALL (action 3)
    //   frame 1 message 2: 01 | 40 0018 | 00 00000005 00 00 20 64646464 | 00 0000000a 00 00 20 64646465
    const ms = of('the-tcpdump-group_tcpdump/tests__bgp-orf.pcapng').map((m) => decodeMessage(m.bytes, AS4));
    expect(ms.map((r) => r.error)).toEqual([null, null]);
    const [a, b] = ms.map((r) => (r.msg as RouteRefreshMessage).orf!);
    expect(a).toEqual({
      when_to_refresh: 'defer',
      groups: [{ type: 64, name: 'address_prefix', hex: 'c0', entries: [{ action: 'action_3', match: 'permit', sequence: null, min_len: null, max_len: null, prefix: null }] }],
    });
    expect(b!.when_to_refresh).toBe('immediate');
    expect(b!.groups[0]!.hex.length / 2).toBe(24);
    expect(b!.groups[0]!.entries).toEqual([
      { action: 'add', match: 'permit', sequence: 5, min_len: 0, max_len: 0, prefix: '100.100.100.100/32' },
      { action: 'add', match: 'permit', sequence: 10, min_len: 0, max_len: 0, prefix: '100.100.100.101/32' },
    ]);
  });
});
