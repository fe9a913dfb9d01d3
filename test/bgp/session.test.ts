// Session parameters from OPENs: RFC 6793 §4 (4-octet AS), RFC 8654 §3 (extended messages),
// RFC 7911 §4 (ADD-PATH: A sends path ids to B for a family iff A says send and B says receive).

import { describe, expect, it } from 'vitest';
import { BgpSession, sessionParams } from '../../src/bgp/session.js';
import type { Capability, OpenMessage } from '../../src/bgp/model.js';

function cap(code: number, value: unknown): Capability {
  return { code, name: '', value, hex: '' };
}
function open(asn: number, ...capabilities: Capability[]): OpenMessage {
  return { kind: 'open', version: 4, my_as: asn > 65535 ? 23456 : asn, asn, hold_time: 90, bgp_id: '10.0.0.1', capabilities, other_params: [], extended_opt_params: false };
}
const AS4 = (asn: number) => cap(65, { asn });
const EXT = cap(6, true);
const addPath = (...e: [number, number, 'receive' | 'send' | 'both'][]) => cap(69, e.map(([afi, safi, send_receive]) => ({ afi, safi, send_receive })));

describe('sessionParams', () => {
  it('as4: both OPENs need capability 65; one without it settles it; one with it alone does not', () => {
    expect(sessionParams(open(1, AS4(1)), open(2, AS4(2))).as4).toBe(true);
    expect(sessionParams(open(1, AS4(1)), open(2)).as4).toBe(false);
    expect(sessionParams(open(1), null).as4).toBe(false);
    expect(sessionParams(null, open(2))).toMatchObject({ as4: false });
    expect(sessionParams(open(1, AS4(1)), null).as4).toBeNull();
    expect(sessionParams(null, null).as4).toBeNull();
  });

  it('extended_message: true unless an OPEN seen lacks capability 6', () => {
    expect(sessionParams(open(1, EXT), open(2, EXT)).extended_message).toBe(true);
    expect(sessionParams(open(1, EXT), open(2)).extended_message).toBe(false);
    expect(sessionParams(open(1, EXT), null).extended_message).toBe(true);
    expect(sessionParams(null, null).extended_message).toBe(true);
  });

  it('add_path_send: sender says send (2/3) and receiver says receive (1/3), per family', () => {
    const a = open(1, addPath([1, 1, 'both'], [2, 1, 'send'], [1, 2, 'send']));
    const b = open(2, addPath([1, 1, 'receive'], [2, 1, 'both'], [1, 2, 'send']));
    expect(sessionParams(a, b).add_path_send).toEqual(new Set(['1:1', '2:1']));
    // B → A: B can send only 2:1 and 1:2; A receives only 1:1.
    expect(sessionParams(b, a).add_path_send).toEqual(new Set());
  });

  it('add_path_send with one OPEN: known empty when it rules ADD-PATH out, else unknown', () => {
    const receiveOnly = open(1, addPath([1, 1, 'receive']));
    expect(sessionParams(receiveOnly, null).add_path_send).toEqual(new Set()); // the sender never sends path ids
    expect(sessionParams(null, receiveOnly).add_path_send).toBeNull(); // the receiver would accept them
    expect(sessionParams(open(1), null).add_path_send).toEqual(new Set());
    expect(sessionParams(open(1, addPath([1, 1, 'send'])), null).add_path_send).toBeNull();
  });

  it('ignores an ADD-PATH capability that was not understood (value null)', () => {
    const a = open(1, cap(69, null));
    const b = open(2, addPath([1, 1, 'both']));
    expect(sessionParams(a, b).add_path_send).toEqual(new Set());
  });
});

describe('BgpSession', () => {
  it('keeps one OPEN per side and gives per-direction params, ASNs and the message size limit', () => {
    const s = new BgpSession();
    expect(s.paramsFor(true)).toEqual({ as4: null, extended_message: true, add_path_send: null });
    expect(s.asn(true)).toBeNull();
    s.setOpen(true, open(4200000000, AS4(4200000000), EXT, addPath([1, 1, 'send'])));
    expect(s.asn(true)).toBe(4200000000);
    expect(s.paramsFor(true).as4).toBeNull();
    s.setOpen(false, open(65001, AS4(65001), addPath([1, 1, 'receive'])));
    expect(s.asn(false)).toBe(65001);
    expect(s.paramsFor(true)).toEqual({ as4: true, extended_message: false, add_path_send: new Set(['1:1']) });
    expect(s.paramsFor(false)).toEqual({ as4: true, extended_message: false, add_path_send: new Set() });
    expect(s.maxMessageLength()).toBe(4096);
    expect(s.open(false)?.asn).toBe(65001);
  });

  it('allows 65535-byte messages when both sides advertise Extended Message', () => {
    const s = new BgpSession();
    s.setOpen(true, open(1, EXT));
    s.setOpen(false, open(2, EXT));
    expect(s.maxMessageLength()).toBe(65535);
  });
});
