// The address-text caches must be invisible: whatever the order and collisions, the text is what the
// uncached functions build.

import { describe, expect, it } from 'vitest';
import { macText } from '../../src/link/ethernet.js';
import { ipv4TextCached, ipv6TextCached, macTextCached } from '../../src/link/textcache.js';
import { ipv4Text, ipv6Text } from '../../src/wire/ip.js';

describe('address text caches', () => {
  it('IPv4: known values, then many colliding addresses in and out of order', () => {
    expect(ipv4TextCached(new Uint8Array([10, 0, 0, 1]), 0)).toBe('10.0.0.1');
    expect(ipv4TextCached(new Uint8Array([0, 0, 0, 0]), 0)).toBe('0.0.0.0');
    expect(ipv4TextCached(new Uint8Array([255, 255, 255, 255]), 0)).toBe('255.255.255.255');
    const b = new Uint8Array(4);
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 5000; i++) {
        const v = (Math.imul(i, 2654435761) >>> 0) ^ (round * 0x01000000);
        b[0] = v >>> 24;
        b[1] = (v >>> 16) & 0xff;
        b[2] = (v >>> 8) & 0xff;
        b[3] = v & 0xff;
        expect(ipv4TextCached(b, 0)).toBe(ipv4Text(b, 0));
      }
    }
  });

  it('IPv6: known values and colliding addresses', () => {
    const a = new Uint8Array(16);
    a[0] = 0x20;
    a[1] = 0x01;
    a[2] = 0x0d;
    a[3] = 0xb8;
    a[15] = 1;
    expect(ipv6TextCached(a, 0)).toBe('2001:db8::1');
    expect(ipv6TextCached(new Uint8Array(16), 0)).toBe('::');
    for (let i = 0; i < 3000; i++) {
      const b = new Uint8Array(20);
      for (let j = 0; j < 20; j++) b[j] = (Math.imul(i + 1, 31 * (j + 7)) >>> 3) & (i % 3 === 0 ? 0x01 : 0xff);
      expect(ipv6TextCached(b, 2)).toBe(ipv6Text(b, 2));
    }
  });

  it('MAC: known values and colliding addresses', () => {
    expect(macTextCached(new Uint8Array([0, 0x11, 0x22, 0x33, 0x44, 0x55]), 0)).toBe('00:11:22:33:44:55');
    expect(macTextCached(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), 0)).toBe('ff:ff:ff:ff:ff:ff');
    expect(macTextCached(new Uint8Array(6), 0)).toBe('00:00:00:00:00:00');
    const b = new Uint8Array(6);
    for (let i = 0; i < 3000; i++) {
      for (let j = 0; j < 6; j++) b[j] = (Math.imul(i, 97 + j) >>> j) & 0xff;
      expect(macTextCached(b, 0)).toBe(macText(b, 0));
    }
  });
});
