// A PEERING client checkout read as files. Expected values come from ../shared/PEERING.md (the mux table of
// §2.2, the file formats of §2.1/§2.3, the bird.conf excerpt of §3.1), not from the code under test.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  openvpnDev,
  parseBirdNeighbors,
  parseMux2dev,
  parseUpdown,
  PeeringDirError,
  planNeighbors,
  readMuxMap,
} from '../../src/peering/client-dir.js';
import { captureFileName, labelsFromCaptureName } from '../../src/peering/capture-names.js';

const tmp = mkdtempSync(join(tmpdir(), 'bgpcap-peering-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function checkout(name: string, files: Record<string, string>): string {
  const dir = join(tmp, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}

// The shape of configs/openvpn/amsterdam01.conf as PEERING.md §2.1 shows it.
const AMS_CONF = `client
pull
daemon amsterdam01
proto udp4
remote vpn.amsterdam01.mux.peering.ee.columbia.edu
dev tap5
setenv daemon_name amsterdam01
script-security 2
up scripts/openvpn/up.sh
down scripts/openvpn/down.sh
management var/amsterdam01.sock unix
log var/amsterdam01.log
writepid var/amsterdam01.pid
cipher AES-128-GCM
`;

describe('mux → tap', () => {
  it('reads var/mux2dev.txt lines "<mux> <tapN>", sorted by mux', () => {
    const r = parseMux2dev('seattle01 tap1\namsterdam01 tap5\n\n# comment\nvtrnewjersey tap57\n');
    expect(r.warnings).toEqual([]);
    expect(r.muxes).toEqual([
      { mux: 'seattle01', tap: 'tap1', id: 1 },
      { mux: 'amsterdam01', tap: 'tap5', id: 5 },
      { mux: 'vtrnewjersey', tap: 'tap57', id: 57 },
    ]);
    const dir = checkout('m2d', { 'var/mux2dev.txt': 'seattle01 tap1\namsterdam01 tap5\n' });
    const m = readMuxMap(dir);
    expect(m.source).toBe('var/mux2dev.txt');
    expect(m.muxes.map((x) => x.mux)).toEqual(['amsterdam01', 'seattle01']);
  });

  it('reports a malformed line and keeps the others', () => {
    const r = parseMux2dev('amsterdam01 tap5\nbroken\nseattle01 tap1 extra\n');
    expect(r.muxes).toHaveLength(1);
    expect(r.warnings).toHaveLength(2);
    expect(r.warnings[0]).toContain(':2:');
  });

  it('falls back to the dev lines of configs/openvpn/*.conf when var/mux2dev.txt is missing or empty', () => {
    expect(openvpnDev(AMS_CONF)).toBe('tap5');
    expect(openvpnDev('dev tun0\n')).toBeNull();
    const files = {
      'configs/openvpn/amsterdam01.conf': AMS_CONF,
      'configs/openvpn/seattle01.conf': AMS_CONF.replace(/amsterdam01/g, 'seattle01').replace('dev tap5', 'dev tap1'),
      'configs/openvpn/README': 'not a config',
      'configs/openvpn/broken.conf': 'client\n',
    };
    for (const [name, extra] of [
      ['nom2d', {}],
      ['emptym2d', { 'var/mux2dev.txt': '\n' }],
    ] as const) {
      const m = readMuxMap(checkout(name, { ...files, ...extra }));
      expect(m.source).toBe('configs/openvpn');
      expect(m.muxes).toEqual([
        { mux: 'amsterdam01', tap: 'tap5', id: 5 },
        { mux: 'seattle01', tap: 'tap1', id: 1 },
      ]);
      expect(m.warnings).toEqual(['configs/openvpn/broken.conf: no "dev tapN" line']);
    }
  });

  it('says so when the directory is not a client checkout', () => {
    expect(() => readMuxMap(checkout('empty', {}))).toThrow(PeeringDirError);
    expect(() => readMuxMap(join(tmp, 'does-not-exist'))).toThrow(/not a PEERING client directory/);
  });
});

describe('tunnel state files', () => {
  it('parses var/<mux>.updown as the up/down scripts write it', () => {
    expect(parseUpdown('up 100.69.128.2 2804:269c:ff00:5:2::2\n')).toEqual({
      state: 'up',
      ipv4: '100.69.128.2',
      ipv6: '2804:269c:ff00:5:2::2',
      line: 'up 100.69.128.2 2804:269c:ff00:5:2::2',
    });
    expect(parseUpdown('down\n').state).toBe('down');
    expect(parseUpdown(null).state).toBe('missing');
    expect(parseUpdown('garbage').state).toBe('other');
  });
});

describe('BGP neighbours', () => {
  // PEERING.md §3.1, abridged, with a comment and a C-style comment that must not be read as config.
  const BIRD_CONF = `
table rtup;
template bgp peering {
	local as 47065;
	allow local as;
	import all;
}
# protocol bgp commented01 from peering { neighbor 1.2.3.4 as 47065; }
/* protocol bgp commented02 from peering { neighbor 1.2.3.5 as 47065; } */
protocol bgp amsterdam01 from peering {
	neighbor 100.69.128.1 as 47065;
	export filter {
		if ! safe_announcement() then { reject; }
		include "prefix-filters/export_amsterdam01_*";
		reject;
	};
}
protocol bgp seattle01 from peering {
	neighbor 2804:269c:ff00:1:1::1 as 47065;
}
protocol kernel { table rtup; kernel table 20000; export all; import none; }
`;
  it('finds `neighbor <ip> as <asn>` of every `protocol bgp <mux>`', () => {
    const n = parseBirdNeighbors(BIRD_CONF);
    expect([...n.keys()]).toEqual(['amsterdam01', 'seattle01']);
    expect(n.get('amsterdam01')).toEqual({ protocol: 'amsterdam01', address: '100.69.128.1', asn: 47065 });
    expect(n.get('seattle01')?.address).toBe('2804:269c:ff00:1:1::1');
  });

  it("derives the mux's addresses from the tap number (PEERING.md §2.2 table rows)", () => {
    const rows: [number, string, string][] = [
      [1, '100.65.128.1', '2804:269c:ff00:1:1::1'],
      [5, '100.69.128.1', '2804:269c:ff00:5:1::1'],
      [10, '100.74.128.1', '2804:269c:ff00:a:1::1'],
      [16, '100.80.128.1', '2804:269c:ff00:10:1::1'],
      [19, '100.83.128.1', '2804:269c:ff00:13:1::1'],
      [57, '100.121.128.1', '2804:269c:ff00:39:1::1'],
    ];
    for (const [id, v4, v6] of rows) expect(planNeighbors(id)).toEqual({ v4, v6 });
    expect(planNeighbors(null)).toEqual({ v4: null, v6: null });
    expect(planNeighbors(300).v4).toBeNull();
  });
});

describe('capture file names', () => {
  it('recognises <mux>.<tapN>.pcap and its rotated, pcapng and gzip forms', () => {
    expect(labelsFromCaptureName('/data/amsterdam01.tap5.pcap')).toEqual({ mux: 'amsterdam01', iface: 'tap5', seq: null });
    expect(labelsFromCaptureName('vtr-miami_2.tap23.0007.pcap')).toEqual({ mux: 'vtr-miami_2', iface: 'tap23', seq: 7 });
    expect(labelsFromCaptureName('seattle01.tap1.pcapng.gz')).toEqual({ mux: 'seattle01', iface: 'tap1', seq: null });
    // A VLAN interface or any other dotted name is not a mux.
    expect(labelsFromCaptureName('eth0.100.pcap')).toBeNull();
    expect(labelsFromCaptureName('tap5.pcap')).toBeNull();
    expect(labelsFromCaptureName('amsterdam01.tap5.pcap.txt')).toBeNull();
  });

  it('names files the same way', () => {
    expect(captureFileName('amsterdam01', 'tap5', null)).toBe('amsterdam01.tap5.pcap');
    expect(captureFileName('amsterdam01', 'tap5', 3)).toBe('amsterdam01.tap5.0003.pcap');
    expect(captureFileName(null, 'eth0', null)).toBe('eth0.pcap');
    for (const [m, i, s] of [
      ['amsterdam01', 'tap5', null],
      ['seattle01', 'tap1', 12],
    ] as const) {
      expect(labelsFromCaptureName(captureFileName(m, i, s))).toEqual({ mux: m, iface: i, seq: s });
    }
  });
});
