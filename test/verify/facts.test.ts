// The PEERING facts verify relies on, each against the place PEERING.md took it from: the AS-path table of §3.4
// (generated there by running the client's real do_announce()), the next-hop examples of §6, the file-name rule
// of §1.4, and the filter-file statements of §3.3.
import { describe, expect, it } from 'vitest';
import { controllerWirePath, upstreamPath } from '../../src/verify/intent.js';
import { parseExportFilter } from '../../src/verify/intended-peering.js';
import { orderFiles } from '../../src/verify/observe-files.js';
import {
  controlCommunityMeaning,
  nextHopOrigin,
  peeringRangeOf,
  planMuxId,
  prefixFileName,
  prefixFromFileName,
  upstreamIdFromCommunities,
} from '../../src/verify/peering-facts.js';
import { parseNet } from '../../src/filter/values.js';

describe('the wire AS path of ./peering prefix announce (PEERING.md §3.4)', () => {
  // [flags: -o, -P, -p…] → AS_PATH on the tap, path seen by the mux's upstream — the table's rows.
  it.each([
    ['(no options)', null, 0, [], [], [47065]],
    ['-P 2', null, 2, [], [47065, 47065], [47065, 47065, 47065]],
    ['-o 61574', 61574, 0, [], [61574], [47065, 61574]],
    ['-p 3356', null, 0, [3356], [3356, 47065], [47065, 3356, 47065]],
    ['-p 3356 -p 174', null, 0, [3356, 174], [174, 3356, 47065], [47065, 174, 3356, 47065]],
    ['-p 3356 -o 61574', 61574, 0, [3356], [61574, 3356, 61574], [47065, 61574, 3356, 61574]],
    ['-P 2 -p 3356 -o 61574', 61574, 2, [3356], [61574, 3356, 61574, 61574], [47065, 61574, 3356, 61574, 61574]],
    ['-p 61574 -o 61574', 61574, 0, [61574], [61574, 61574], [47065, 61574, 61574]],
  ] as const)('%s', (_, origin, prepend, poisons, wire, upstream) => {
    const w = controllerWirePath(origin, prepend, poisons);
    expect(w).toEqual(wire);
    expect(upstreamPath(w)).toEqual(upstream);
  });
});

describe('export filter files (PEERING.md §3.3)', () => {
  it('the statements of a filter file: prepends reversed, communities, large communities, next hop', () => {
    const f = parseExportFilter(
      [
        'if ( net = 184.164.236.0/24 ) then {',
        '    bgp_path.prepend(61574);',
        '    bgp_path.prepend(61574);',
        '    bgp_path.prepend(3356);',
        '    bgp_path.prepend(61574);',
        '    bgp_community.add((47065,1001));',
        '    bgp_community.add((47065, 2));  # a comment',
        '    bgp_large_community.add((47065,1,2));',
        '    bgp_next_hop=100.125.40.2;',
        '    accept;',
        '}',
      ].join('\n'),
      'export_amsterdam01_184.164.236.0-24.conf',
      'amsterdam01',
      '184.164.236.0/24',
    );
    expect(f.warnings).toEqual([]);
    expect(f.route).toMatchObject({
      as_path: [61574, 3356, 61574, 61574],
      communities: ['47065:2', '47065:1001'],
      large_communities: ['47065:1:2'],
      next_hop: '100.125.40.2',
      poisons: [3356],
      origin_asn: 61574,
    });
  });

  it('what it does not understand becomes a warning naming file and line; a condition for another prefix too', () => {
    const f = parseExportFilter('if net = 184.164.237.0/24 then {\n  bgp_med = 5;\n  accept;\n}\n', 'f.conf', 'm', '184.164.236.0/24');
    expect(f.warnings).toEqual(['f.conf:1: the condition names 184.164.237.0/24, the file name 184.164.236.0/24', 'f.conf:2: statement not understood, ignored: bgp_med = 5']);
    expect(f.route.as_path).toEqual([]);
  });

  it('file names: / becomes -, : becomes i (PEERING.md §1.4)', () => {
    expect(prefixFileName('184.164.236.0/24')).toBe('184.164.236.0-24');
    expect(prefixFileName('2804:269c:5::/48')).toBe('2804i269ci5ii-48');
    expect(prefixFromFileName('2804i269ci5ii-48')).toBe('2804:269c:5::/48');
    expect(prefixFromFileName('184.164.236.0-24')).toBe('184.164.236.0/24');
    expect(prefixFromFileName('nonsense')).toBeNull();
  });
});

describe('addresses (PEERING.md §2.2, §6)', () => {
  it('mux addresses of the plan', () => {
    expect(planMuxId('100.69.128.1')).toBe(5);
    expect(planMuxId('2804:269c:ff00:a:1::1')).toBe(10);
    expect(planMuxId('100.69.128.2')).toBeNull();
    expect(planMuxId('10.0.0.1')).toBeNull();
  });

  it('next hop → upstream: the AMS-IX route server (peer 29 at amsterdam01), Vultr up518 at vtramsterdam (mux 25)', () => {
    expect(nextHopOrigin('100.69.0.29')).toEqual({ upstream_id: 29, mux_id: 5, kind: 'upstream' });
    expect(nextHopOrigin('100.89.2.6')).toEqual({ upstream_id: 518, mux_id: 25, kind: 'upstream' });
    expect(nextHopOrigin('100.69.128.1')).toMatchObject({ kind: 'mux', mux_id: 5 });
    expect(nextHopOrigin('100.125.40.2')).toMatchObject({ kind: 'container' });
    expect(nextHopOrigin('2804:269c:ff00:5::1d')).toEqual({ upstream_id: 29, mux_id: 5, kind: 'upstream' });
    expect(nextHopOrigin('2804:269c:ff00:5:1::1')).toMatchObject({ kind: 'mux' });
    expect(nextHopOrigin('192.0.2.1')).toMatchObject({ kind: 'other', upstream_id: null });
  });

  it('the (47065, 10000+i) tag (vultr-provider-matrix examples: 10518 ↔ up518, 10564 ↔ up564)', () => {
    expect(upstreamIdFromCommunities(['47065:10518', '20473:6000'])).toBe(518);
    expect(upstreamIdFromCommunities(['47065:10564'])).toBe(564);
    expect(upstreamIdFromCommunities(['47065:1001'])).toBeNull();
    expect(controlCommunityMeaning('47065:1001')).toBe('do not export to peer 1');
    expect(controlCommunityMeaning('47065:7')).toBe('export only to peer 7');
  });

  it("PEERING's ranges with the lengths safe_announcement() accepts (§4)", () => {
    expect(peeringRangeOf(parseNet('184.164.236.0/24'))?.net.text).toBe('184.164.224.0/19');
    expect(peeringRangeOf(parseNet('184.164.236.0/25'))).toBeNull();
    expect(peeringRangeOf(parseNet('2804:269c:5::/48'))?.net.text).toBe('2804:269c::/42');
    expect(peeringRangeOf(parseNet('147.28.10.0/24'))?.branch).toBe('bird2');
    expect(peeringRangeOf(parseNet('10.0.0.0/24'))).toBeNull();
  });
});

it('rotated capture files are read in sequence per tunnel', () => {
  expect(orderFiles(['a.tap5.0002.pcap', 'b.tap1.pcap', 'a.tap5.0001.pcap', 'x.pcap'])).toEqual(['a.tap5.0001.pcap', 'a.tap5.0002.pcap', 'b.tap1.pcap', 'x.pcap']);
});
