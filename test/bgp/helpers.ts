// Byte builders for hand-annotated test messages.

import type { SessionParams } from '../../src/bgp/model.js';

/** Bytes from hex pieces; spaces inside a piece are ignored. */
export function hx(...parts: string[]): Uint8Array {
  const s = parts.join('').replace(/\s+/g, '');
  if (s.length % 2 !== 0 || /[^0-9a-fA-F]/.test(s)) throw new Error(`bad hex: ${s}`);
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export const MARKER = 'ff'.repeat(16);

/** A whole message: marker, length (computed: 19 + body), type, body. */
export function bgp(type: number, ...body: string[]): Uint8Array {
  const b = hx(...body);
  const len = 19 + b.length;
  return hx(MARKER, len.toString(16).padStart(4, '0'), type.toString(16).padStart(2, '0'), Buffer.from(b).toString('hex'));
}

/** An UPDATE from its three parts (the two length fields are computed). */
export function update(withdrawn: string, attrs: string, nlri: string): Uint8Array {
  const w = hx(withdrawn);
  const a = hx(attrs);
  const f = (n: number) => n.toString(16).padStart(4, '0');
  return bgp(2, f(w.length), withdrawn, f(a.length), attrs, nlri);
}

/** 4-octet AS session, no ADD-PATH. */
export const AS4: SessionParams = { as4: true, extended_message: false, add_path_send: new Set() };
/** 2-octet AS session (one side lacks capability 65), no ADD-PATH. */
export const AS2: SessionParams = { as4: false, extended_message: false, add_path_send: new Set() };
/** No OPEN seen: everything inferred. */
export const UNKNOWN: SessionParams = { as4: null, extended_message: true, add_path_send: null };

export function hexOf(s: string): string {
  return Buffer.from(s, 'utf8').toString('hex');
}
