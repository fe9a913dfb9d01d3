// Path attribute dispatch: one table indexed by type code (0..255), held in dispatch.ts and filled here.
// Codes without a decoder are kept raw ({code, flags, hex}) in `other_attributes`; the coverage table is in
// README.md next to this file.

import type { AttributeSpec } from './types.js';
import { ORIGIN } from './attr-01-origin.js';
import { AS_PATH, AS4_PATH } from './attr-02-17-as-path.js';
import { NEXT_HOP } from './attr-03-next-hop.js';
import { MULTI_EXIT_DISC } from './attr-04-med.js';
import { LOCAL_PREF } from './attr-05-local-pref.js';
import { ATOMIC_AGGREGATE } from './attr-06-atomic-aggregate.js';
import { AGGREGATOR, AS4_AGGREGATOR } from './attr-07-18-aggregator.js';
import { COMMUNITIES } from './attr-08-communities.js';
import { MP_REACH_NLRI } from './attr-14-mp-reach.js';
import { MP_UNREACH_NLRI } from './attr-15-mp-unreach.js';
import { LARGE_COMMUNITY } from './attr-32-large-communities.js';
import { ORIGINATOR_ID } from './attr-09-originator-id.js';
import { CLUSTER_LIST } from './attr-10-cluster-list.js';
import { EXTENDED_COMMUNITIES } from './attr-16-ext-communities.js';
import { PMSI_TUNNEL } from './attr-22-pmsi-tunnel.js';
import { IPV6_EXT_COMMUNITIES } from './attr-25-ipv6-ext-communities.js';
import { AIGP } from './attr-26-aigp.js';
import { BGPSEC_PATH } from './attr-33-bgpsec-path.js';
import { ONLY_TO_CUSTOMER } from './attr-35-otc.js';
import { PREFIX_SID } from './attr-40-prefix-sid.js';
import { ATTR_SET } from './attr-128-attr-set.js';
import { DISPATCH } from './dispatch.js';

export type { AttributeSpec, ErrorAction } from './types.js';
export { UpdateContext } from './types.js';
export { applyAttribute } from './dispatch.js';

export const ATTR_ORIGIN = 1;
export const ATTR_AS_PATH = 2;
export const ATTR_NEXT_HOP = 3;
export const ATTR_AGGREGATOR = 7;
export const ATTR_MP_REACH_NLRI = 14;
export const ATTR_MP_UNREACH_NLRI = 15;
export const ATTR_AS4_PATH = 17;
export const ATTR_AS4_AGGREGATOR = 18;

/** Decoders by type code (the table dispatch.ts applies, ATTR_SET's nested attributes included). */
export const ATTRIBUTE_DECODERS: (AttributeSpec | undefined)[] = DISPATCH;
for (const spec of [
  ORIGIN,
  AS_PATH,
  NEXT_HOP,
  MULTI_EXIT_DISC,
  LOCAL_PREF,
  ATOMIC_AGGREGATE,
  AGGREGATOR,
  COMMUNITIES,
  MP_REACH_NLRI,
  MP_UNREACH_NLRI,
  AS4_PATH,
  AS4_AGGREGATOR,
  LARGE_COMMUNITY,
  ORIGINATOR_ID,
  CLUSTER_LIST,
  EXTENDED_COMMUNITIES,
  PMSI_TUNNEL,
  IPV6_EXT_COMMUNITIES,
  AIGP,
  BGPSEC_PATH,
  ONLY_TO_CUSTOMER,
  PREFIX_SID,
  ATTR_SET,
]) {
  ATTRIBUTE_DECODERS[spec.code] = spec;
}

/** IANA "BGP Path Attributes" registry names (deprecated and historic codes included, so old captures read well). */
export const ATTRIBUTE_NAMES: Record<number, string> = {
  1: 'ORIGIN',
  2: 'AS_PATH',
  3: 'NEXT_HOP',
  4: 'MULTI_EXIT_DISC',
  5: 'LOCAL_PREF',
  6: 'ATOMIC_AGGREGATE',
  7: 'AGGREGATOR',
  8: 'COMMUNITIES',
  9: 'ORIGINATOR_ID',
  10: 'CLUSTER_LIST',
  11: 'DPA',
  12: 'ADVERTISER',
  13: 'RCID_PATH',
  14: 'MP_REACH_NLRI',
  15: 'MP_UNREACH_NLRI',
  16: 'EXTENDED_COMMUNITIES',
  17: 'AS4_PATH',
  18: 'AS4_AGGREGATOR',
  19: 'SAFI_SPECIFIC_ATTRIBUTE',
  20: 'CONNECTOR',
  21: 'AS_PATHLIMIT',
  22: 'PMSI_TUNNEL',
  23: 'TUNNEL_ENCAPSULATION',
  24: 'TRAFFIC_ENGINEERING',
  25: 'IPV6_ADDRESS_SPECIFIC_EXTENDED_COMMUNITY',
  26: 'AIGP',
  27: 'PE_DISTINGUISHER_LABELS',
  28: 'ENTROPY_LABEL_CAPABILITY',
  29: 'BGP_LS',
  32: 'LARGE_COMMUNITY',
  33: 'BGPSEC_PATH',
  34: 'COMMUNITY_CONTAINER',
  35: 'ONLY_TO_CUSTOMER',
  36: 'DOMAIN_PATH',
  37: 'SFP_ATTRIBUTE',
  38: 'BFD_DISCRIMINATOR',
  39: 'NHC',
  40: 'PREFIX_SID',
  41: 'BIER',
  128: 'ATTR_SET',
  255: 'RESERVED_FOR_DEVELOPMENT',
};

/** Name of an attribute type code, `ATTR_<n>` when unassigned. */
export function attributeName(code: number): string {
  return ATTRIBUTE_NAMES[code] ?? `ATTR_${code}`;
}
