// The saved filters in filters/: each starts with a comment saying what it is for, parses, and selects what its
// comment promises on hand-built messages (PEERING facts: ASNs 47065 33207 61574 61575 61576 263842 263843
// 263844; the client's announced address space).

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { keepalive, notification, open, update, v4, v6, type UpdateSpec } from '../../bench/lib/synth.js';
import { buildFilters } from '../../src/cli/filter-options.js';
import type { MessageRecord } from '../../src/record.js';
import { rec } from './records.js';

const dir = fileURLToPath(new URL('../../filters/', import.meta.url));
const names = readdirSync(dir).filter((f) => f.endsWith('.filter'));
const WHO = { peer_ip: '100.69.128.1', peer_asn: 47065 };

function saved(name: string): (r: MessageRecord) => boolean {
  const f = buildFilters({ filterFile: [name] });
  expect(f.stage1).toBeNull();
  return (r) => f.stage2!.record(r);
}

function withPath(asPath: number[], prefix = '184.164.236.0/24', more: UpdateSpec = {}): MessageRecord {
  const [a, l] = prefix.split('/');
  const p = { addr: a!.includes(':') ? v6(a!) : v4(a!), len: Number(l) };
  return rec(update(a!.includes(':') ? { v6Nlri: [p], asPath, ...more } : { nlri: [p], asPath, ...more }), WHO);
}

it('there are saved filters', () => {
  expect(names.length).toBeGreaterThanOrEqual(6);
});

describe.each(names)('%s', (name) => {
  it('starts with a comment saying what it is for, and parses', () => {
    const text = readFileSync(join(dir, name), 'utf8');
    expect(text.split('\n')[0]).toMatch(/^# \S.{10,}/);
    expect(buildFilters({ filterFile: [join(dir, name)] }).stage2).not.toBeNull();
  });
});

describe('what they select', () => {
  it('by name, without the directory or extension', () => {
    expect(() => buildFilters({ filterFile: ['blackholing'] })).not.toThrow();
    expect(() => buildFilters({ filterFile: ['blackholing.filter'] })).not.toThrow();
  });

  it('peering-prefixes', () => {
    const f = saved('peering-prefixes');
    for (const p of ['184.164.236.0/24', '184.164.224.0/19', '138.185.230.0/24', '204.9.171.0/24', '2804:269c::/42', '2804:269c:fe05::/48', '2604:4540::/48']) {
      expect(f(withPath([47065], p)), p).toBe(true);
    }
    for (const p of ['184.164.0.0/16', '0.0.0.0/0', '8.8.8.0/24', '2804:269d::/48', '2604:4540:1::/48']) {
      expect(f(withPath([47065], p)), p).toBe(false);
    }
  });

  it('poisoned-path: a non-PEERING ASN between two PEERING ASNs', () => {
    const f = saved('poisoned-path');
    const cases: [number[], boolean][] = [
      [[47065, 3356, 47065], true], // `peering prefix announce -p 3356` seen upstream
      [[47065, 174, 3356, 47065], true],
      [[47065, 61574, 3356, 61574, 61574], true],
      [[1299, 47065, 3356, 263844], true],
      [[174, 3356, 47065], false],
      [[47065, 47065, 47065], false], // prepending only
      [[3356, 47065, 61574], false], // PEERING ASNs side by side, nothing between
      [[147065, 3356, 47065], false],
      [[47065, 3356, 470650], false],
    ];
    for (const [path, want] of cases) expect(f(withPath(path)), path.join(' ')).toBe(want);
  });

  it('session-trouble', () => {
    const f = saved('session-trouble');
    expect(f(rec(open({ asn: 47065, bgpId: '10.0.0.1' }), WHO))).toBe(true);
    expect(f(rec(notification(6, 4), WHO))).toBe(true);
    expect(f(rec(keepalive(), WHO))).toBe(false);
    expect(f(withPath([47065]))).toBe(false);
  });

  it('blackholing', () => {
    const f = saved('blackholing');
    expect(f(withPath([47065], '184.164.236.1/32', { communities: [[65535, 666]], nextHop: v4('100.69.128.6') }))).toBe(true);
    expect(f(withPath([47065], '184.164.236.1/32', { nextHop: v4('192.0.2.1') }))).toBe(true);
    expect(f(withPath([47065], '2804:269c:1::1/128', { v6NextHop: v6('100::1') }))).toBe(true);
    expect(f(withPath([47065], '184.164.236.0/24', { communities: [[47065, 666]], nextHop: v4('100.69.128.6') }))).toBe(false);
    expect(f(withPath([47065], '2804:269c:1::/48', { v6NextHop: v6('2804:269c:ff00:5:1::1') }))).toBe(false);
  });

  it('large-communities', () => {
    const f = saved('large-communities');
    expect(f(withPath([47065], '184.164.236.0/24', { largeCommunities: [[47065, 1, 2]] }))).toBe(true);
    expect(f(withPath([47065], '184.164.236.0/24', { communities: [[47065, 1]] }))).toBe(false);
  });

  it('route-leak: a PEERING prefix through 3356 not learned from PEERING directly', () => {
    const f = saved('route-leak');
    expect(f(withPath([174, 3356, 64500, 47065]))).toBe(true);
    expect(f(withPath([3356, 64500, 61574], '2804:269c:1::/48'))).toBe(true);
    expect(f(withPath([174, 3356, 47065]))).toBe(false); // 3356 is PEERING's upstream: expected
    expect(f(withPath([174, 1299, 64500, 47065]))).toBe(false);
    expect(f(withPath([174, 3356, 64500, 47065], '8.8.8.0/24'))).toBe(false);
  });
});

describe('README keeps in step', () => {
  const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
  const section = readme.slice(readme.indexOf('## Filtering'), readme.indexOf('## Layout'));

  it('every key is documented in the Filtering section', async () => {
    const { KEYS } = await import('../../src/filter/keys.js');
    for (const k of KEYS) expect(section, k.name).toContain(`\`${k.name}\``);
  });

  it('every saved filter is listed', () => {
    for (const n of names) expect(section, n).toContain(`\`${n.replace(/\.filter$/, '')}\``);
  });

  it('every flag is listed', async () => {
    const { FILTER_FLAGS } = await import('../../src/filter/flags.js');
    for (const f of FILTER_FLAGS) expect(section, f.flag).toContain(f.flag.split(' ')[0]!);
  });
});
