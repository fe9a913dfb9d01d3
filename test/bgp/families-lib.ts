// Shared by the families-*.test.ts suites: decode an UPDATE and pick out its MP families.

import { expect } from 'vitest';
import { decodeMessage, type DecodeResult } from '../../src/bgp/decode.js';
import type { Announcement, SessionParams, UpdateMessage, Withdrawal } from '../../src/bgp/model.js';

/** 4-octet AS session, no ADD-PATH. */
export const AS4: SessionParams = { as4: true, extended_message: true, add_path_send: new Set() };
/** No OPEN seen: ADD-PATH and AS width inferred. */
export const UNKNOWN: SessionParams = { as4: null, extended_message: true, add_path_send: null };
/** ADD-PATH negotiated for these families (sender sends path ids). */
export function addPath(...keys: string[]): SessionParams {
  return { as4: true, extended_message: true, add_path_send: new Set(keys) };
}

export interface Decoded {
  u: UpdateMessage;
  res: DecodeResult;
}

/** Decode and insist it is an UPDATE without an error. */
export function decodeUpdateBytes(bytes: Uint8Array, params: SessionParams = AS4): Decoded {
  const res = decodeMessage(bytes, params);
  expect(res.error).toBeNull();
  expect(res.msg?.kind).toBe('update');
  return { u: res.msg as UpdateMessage, res };
}

/** The one MP_REACH family of the UPDATE (decoded without warnings). */
export function reach(bytes: Uint8Array, params: SessionParams = AS4): Announcement {
  const { u } = decodeUpdateBytes(bytes, params);
  expect(u.warnings).toEqual([]);
  expect(u.announcements).toHaveLength(1);
  return u.announcements[0]!;
}

/** The one MP_UNREACH family of the UPDATE. */
export function unreach(bytes: Uint8Array, params: SessionParams = AS4): Withdrawal {
  const { u } = decodeUpdateBytes(bytes, params);
  expect(u.warnings).toEqual([]);
  expect(u.withdrawals).toHaveLength(1);
  return u.withdrawals[0]!;
}

/** Bytes from hex text; whitespace ignored. */
export function hx(s: string): number[] {
  const t = s.replace(/\s+/g, '');
  const out: number[] = [];
  for (let i = 0; i < t.length; i += 2) out.push(parseInt(t.slice(i, i + 2), 16));
  return out;
}
