// AGGREGATOR (type code 7, RFC 4271 §5.1.7) and AS4_AGGREGATOR (type code 18, RFC 6793 §3).
//
//   AGGREGATOR:     AS (2 octets on a 2-octet session, 4 with RFC 6793) | IPv4 address (4)
//   AS4_AGGREGATOR: AS (4 octets)                                       | IPv4 address (4)
//
// RFC 7606 §7.7 / RFC 6793 §6: a wrong length → attribute discard. AS4_AGGREGATOR replaces AGGREGATOR only
// on a 2-octet session and only when AGGREGATOR carries AS_TRANS (applied in update.ts, RFC 6793 §4.2.3).

import { ipv4TextCached as ipv4Text } from '../../link/textcache.js';
import { u16, u32 } from '../../wire/reader.js';
import { type AttributeSpec, OPTIONAL_TRANSITIVE, attrLengthError } from './types.js';

export const AGGREGATOR: AttributeSpec = {
  code: 7,
  name: 'AGGREGATOR',
  flags: OPTIONAL_TRANSITIVE,
  onError: 'attribute-discard',
  rule: 'RFC 7606 §7.7',
  decode(ctx, b, start, end) {
    const size = ctx.asnSize;
    if (end - start !== size + 4) {
      throw attrLengthError('AGGREGATOR', end - start, `${size + 4} on a ${size}-octet AS session`, start);
    }
    const asn = size === 4 ? u32(b, start) : u16(b, start);
    ctx.msg.aggregator_asn = asn;
    ctx.msg.aggregator_ip = ipv4Text(b, start + size);
    if (asn === 0) ctx.attrWarn('aggregator_as0', 'AGGREGATOR AS 0 (RFC 7607 §2, RFC 7606 §7.7: attribute discard)', start, 'attribute-discard');
  },
};

export const AS4_AGGREGATOR: AttributeSpec = {
  code: 18,
  name: 'AS4_AGGREGATOR',
  flags: OPTIONAL_TRANSITIVE,
  onError: 'attribute-discard',
  rule: 'RFC 6793 §6',
  decode(ctx, b, start, end) {
    if (end - start !== 8) throw attrLengthError('AS4_AGGREGATOR', end - start, '8', start);
    ctx.as4AggregatorAsn = u32(b, start);
    ctx.as4AggregatorIp = ipv4Text(b, start + 4);
  },
};
