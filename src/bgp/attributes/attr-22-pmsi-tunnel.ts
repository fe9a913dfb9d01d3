// PMSI_TUNNEL (type code 22), RFC 6514 §5: optional transitive, the provider tunnel an MVPN or EVPN route
// uses for multicast / BUM traffic.
//
//   +---------------------------------+
//   |  Flags (1 octet)                |   0x01 Leaf Information Required
//   +---------------------------------+
//   |  Tunnel Type (1 octet)          |
//   +---------------------------------+
//   |  MPLS Label (3 octets)          |   label in the high-order 20 bits; EVPN over VXLAN puts the
//   +---------------------------------+   24-bit VNI in the whole field (RFC 8365 §5.1.3)
//   |  Tunnel Identifier (variable)   |
//   +---------------------------------+
//
// Tunnel identifiers shown as text (`tunnel_id`):
//   1 RSVP-TE P2MP LSP: the RFC 4875 §19.1.1 SESSION object, P2MP ID (4) | 0 (2) | Tunnel ID (2) |
//     Extended Tunnel ID (4) → "p2mp-id:tunnel-id:extended-tunnel-id";
//   3, 4, 5 PIM trees: Sender (or root) address | P-multicast group, both IPv4 or both IPv6 → "sender,group";
//   6 Ingress Replication: the endpoint's unicast address;
//   anything else, or a length that does not fit those forms: hex ('' when there is none).
//
// RFC 6514 predates RFC 7606 and names no error handling; a value shorter than the 5 fixed octets is
// malformed, and bgpcap reports treat-as-withdraw, the RFC 7606 §2 default that FRR also uses.

import type { PmsiTunnel } from '../model.js';
import { ipv4Text, ipv6Text } from '../../wire/ip.js';
import { hex, u16, u24 } from '../../wire/reader.js';
import { type AttributeSpec, OPTIONAL_TRANSITIVE, attrLengthError } from './types.js';

/** IANA "P-Multicast Service Interface Tunnel (PMSI Tunnel) Tunnel Types". */
export const PMSI_TUNNEL_TYPES: Record<number, string> = {
  0: 'NO_TUNNEL_INFO',
  1: 'RSVP_TE_P2MP_LSP',
  2: 'MLDP_P2MP_LSP',
  3: 'PIM_SSM_TREE',
  4: 'PIM_SM_TREE',
  5: 'BIDIR_PIM_TREE',
  6: 'INGRESS_REPLICATION',
  7: 'MLDP_MP2MP_LSP',
  8: 'TRANSPORT_TUNNEL', // RFC 7524
  11: 'BIER', // RFC 8556
};

function ipText(b: Uint8Array, o: number, len: number): string {
  return len === 4 ? ipv4Text(b, o) : ipv6Text(b, o);
}

function tunnelIdText(type: number, b: Uint8Array, start: number, end: number): string {
  const len = end - start;
  if (type === 1 && len === 12 && b[start + 4] === 0 && b[start + 5] === 0) {
    return `${ipv4Text(b, start)}:${u16(b, start + 6)}:${ipv4Text(b, start + 8)}`;
  }
  if (type >= 3 && type <= 5 && (len === 8 || len === 32)) {
    const half = len >>> 1;
    return `${ipText(b, start, half)},${ipText(b, start + half, half)}`;
  }
  if (type === 6 && (len === 4 || len === 16)) return ipText(b, start, len);
  return hex(b, start, end);
}

export const PMSI_TUNNEL: AttributeSpec = {
  code: 22,
  name: 'PMSI_TUNNEL',
  flags: OPTIONAL_TRANSITIVE,
  onError: 'treat-as-withdraw',
  rule: 'RFC 7606 §2 (RFC 6514 names none)',
  decode(ctx, b, start, end) {
    if (end - start < 5) throw attrLengthError('PMSI_TUNNEL', end - start, 'at least 5', start);
    const flags = b[start]!;
    const type = b[start + 1]!;
    const field = u24(b, start + 2);
    const t: PmsiTunnel = {
      flags,
      leaf_info_required: (flags & 0x01) !== 0,
      tunnel_type: type,
      tunnel_type_name: PMSI_TUNNEL_TYPES[type] ?? `TUNNEL_${type}`,
      label: field >>> 4,
      label_raw: field,
      tunnel_id: tunnelIdText(type, b, start + 5, end),
    };
    ctx.msg.pmsi_tunnel = t;
  },
};
