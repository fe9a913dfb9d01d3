// One path attribute through its decoder: the table indexed by type code (filled by index.ts) and the step
// both the UPDATE (update.ts) and ATTR_SET (attr-128-attr-set.ts) take for each attribute they frame. Kept
// apart from index.ts so that ATTR_SET can decode nested attributes without an import cycle.
//
// RFC 7606 outcomes of one attribute, none of which stops the decode (bgpcap observes, it never drops):
//  - flags whose Optional/Transitive bits contradict the type code: §3(c) treat-as-withdraw, value decoded anyway;
//  - a malformed value: the decoder's DecodeError becomes a warning naming the attribute's own action
//    (AttributeSpec.onError) and the attribute is kept raw in `other_attributes`;
//  - inside an ATTR_SET every malformed attribute makes the ATTR_SET malformed (RFC 6368 §5), which RFC 7606
//    §7.16 handles as treat-as-withdraw.

import type { AttributeSpec, ErrorAction, UpdateContext } from './types.js';
import { DecodeError } from '../../wire/errors.js';
import { hex } from '../../wire/reader.js';
import { add } from '../lists.js';

/** Decoders by type code; index.ts registers every AttributeSpec here. */
export const DISPATCH: (AttributeSpec | undefined)[] = new Array(256);

function asDecodeError(e: unknown, offset: number): DecodeError {
  if (e instanceof DecodeError) return e;
  return new DecodeError('internal', `internal decoder error: ${e instanceof Error ? e.message : String(e)}`, offset);
}

/**
 * Decode the attribute `code` whose header starts at `hdr` and whose value is [vStart, vEnd) into ctx.msg.
 * Unknown codes and malformed values are kept raw in ctx.msg.other_attributes. Returns true when the
 * decoder accepted the value.
 */
export function applyAttribute(
  ctx: UpdateContext,
  b: Uint8Array,
  flags: number,
  code: number,
  hdr: number,
  vStart: number,
  vEnd: number,
): boolean {
  const spec = DISPATCH[code];
  if (spec === undefined) {
    ctx.msg.other_attributes = add(ctx.msg.other_attributes, { code, flags, hex: hex(b, vStart, vEnd) });
    return false;
  }
  ctx.setAttr(code, hdr, vEnd);
  const nested = ctx.attrSetDepth > 0;
  if ((flags & 0xc0) !== spec.flags) {
    ctx.attrWarn(
      'attribute_flags',
      `${spec.name}: flags 0x${hex(b, hdr, hdr + 1)}, expected Optional/Transitive bits 0x${spec.flags.toString(16)} (RFC 7606 §3(c): treat-as-withdraw)${nested ? ' inside ATTR_SET' : ''}`,
      hdr,
      'treat-as-withdraw',
    );
  }
  try {
    spec.decode(ctx, b, vStart, vEnd, flags);
    return true;
  } catch (e) {
    const err = asDecodeError(e, vStart);
    let action: ErrorAction = spec.onError;
    let why = `${spec.rule}: ${spec.onError}`;
    if (nested) {
      action = 'treat-as-withdraw';
      why = `inside ATTR_SET, which is then malformed: RFC 6368 §5, RFC 7606 §7.16: treat-as-withdraw`;
    }
    ctx.setAttr(code, hdr, vEnd); // a nested decoder may have moved it
    ctx.attrWarn(err.code, `${err.message} (${why}); attribute kept raw`, err.offset, action);
    ctx.msg.other_attributes = add(ctx.msg.other_attributes, { code, flags, hex: hex(b, vStart, vEnd) });
    return false;
  }
}
