// CLUSTER_LIST (type code 10), RFC 4456 §8: optional non-transitive, the CLUSTER_IDs (4 octets each, shown
// as dotted quads) of the reflection clusters the route passed through; each reflector prepends its own.
// RFC 7606 §7.10: from an internal neighbour a length that is not a non-zero multiple of 4 is malformed →
// treat-as-withdraw (from an external neighbour: attribute discard; see attr-09 for why the internal action
// is the one reported).

import { ipv4Text } from '../../wire/ip.js';
import { type AttributeSpec, OPTIONAL_NON_TRANSITIVE, attrLengthError } from './types.js';

export const CLUSTER_LIST: AttributeSpec = {
  code: 10,
  name: 'CLUSTER_LIST',
  flags: OPTIONAL_NON_TRANSITIVE,
  onError: 'treat-as-withdraw',
  rule: 'RFC 7606 §7.10',
  decode(ctx, b, start, end) {
    const len = end - start;
    if (len === 0 || (len & 3) !== 0) throw attrLengthError('CLUSTER_LIST', len, 'a non-zero multiple of 4', start);
    const out: string[] = [];
    for (let p = start; p < end; p += 4) out.push(ipv4Text(b, p));
    ctx.msg.cluster_list = out;
  },
};
