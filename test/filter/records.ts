// Records for the filter tests: BGP messages encoded by bench/lib/synth.ts (which shares no code with the
// decoder), decoded by bgpcap, wrapped as the pipeline would wrap them.

import { decodeMessage } from '../../src/bgp/decode.js';
import type { MessageRecord } from '../../src/record.js';
import type { SessionParams } from '../../src/bgp/model.js';

export const TS = { sec: 1700000000, nsec: 0 };

export interface Who {
  peer_ip: string;
  peer_asn: number | null;
  local_ip?: string;
  local_asn?: number | null;
}

/** The session parameters rec() decodes with: 4-octet ASNs, ADD-PATH for IPv4 and IPv6 unicast or none. */
export function sessionParams(addPath: boolean): SessionParams {
  return { as4: true, extended_message: false, add_path_send: addPath ? new Set(['1:1', '2:1']) : new Set<string>() };
}

const paramsUsed = new WeakMap<MessageRecord, SessionParams>();

/** The parameters a record of rec() was decoded with (a copy of the record: without ADD-PATH). */
export function paramsOf(r: MessageRecord): SessionParams {
  return paramsUsed.get(r) ?? sessionParams(false);
}

export function rec(bytes: Uint8Array, who: Who, addPath = false): MessageRecord {
  const params = sessionParams(addPath);
  const res = decodeMessage(bytes, params);
  const r: MessageRecord = {
    kind: 'message',
    ts: TS,
    frame: 1,
    file: null,
    iface: 'tap5',
    mux: null,
    peer_ip: who.peer_ip,
    peer_asn: who.peer_asn,
    local_ip: who.local_ip ?? '100.69.128.6',
    local_asn: who.local_asn ?? 47065,
    src_port: 179,
    dst_port: 40000,
    msg_type: bytes[18]!,
    length: bytes.length,
    msg: res.msg,
    error: res.error,
    raw: bytes,
    inferred: res.inferred,
  };
  paramsUsed.set(r, params);
  return r;
}

