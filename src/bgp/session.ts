// Session parameters from the OPENs seen on one TCP connection (one OPEN per direction).
//
//  - as4 (RFC 6793 §4): 4-octet AS numbers in AS_PATH/AGGREGATOR iff both OPENs carry capability 65.
//  - extended_message (RFC 8654 §3): messages up to 65535 bytes iff both OPENs carry capability 6.
//  - add_path_send for the direction A→B (RFC 7911 §4): the families for which A's ADD-PATH capability
//    says it is able to send (2 or 3) and B's says it is able to receive (1 or 3). An ADD-PATH capability
//    with a Send/Receive value other than 1–3 is "not understood and ignored" (value null, see
//    capabilities.ts).
//
// With one OPEN or none, a parameter is known only when the OPEN seen rules it out; otherwise it is null
// and the decoder infers. extended_message has no null: it is true unless a seen OPEN rules it out, so a
// capture that starts mid-session never has long messages rejected for a negotiation it did not see.

import type { OpenMessage, SessionParams } from './model.js';
import { CAP_ADD_PATH, CAP_EXTENDED_MESSAGE, CAP_FOUR_OCTET_AS, type AddPathEntry, type AddPathMode } from './capabilities.js';
import { familyKey } from './families.js';

function has(open: OpenMessage, code: number): boolean {
  for (const c of open.capabilities) if (c.code === code) return true;
  return false;
}

/** RFC 7911 §4 modes by family key; several capability instances are merged, the last one winning. */
export function addPathModes(open: OpenMessage): Map<string, AddPathMode> {
  const m = new Map<string, AddPathMode>();
  for (const c of open.capabilities) {
    if (c.code !== CAP_ADD_PATH || c.value === null) continue;
    for (const e of c.value as AddPathEntry[]) m.set(familyKey(e.afi, e.safi), e.send_receive);
  }
  return m;
}

const canSend = (m: AddPathMode | undefined): boolean => m === 'send' || m === 'both';
const canReceive = (m: AddPathMode | undefined): boolean => m === 'receive' || m === 'both';

/** Parameters for messages sent by the speaker of `sender` to the speaker of `receiver` (null = OPEN not seen). */
export function sessionParams(sender: OpenMessage | null, receiver: OpenMessage | null): SessionParams {
  let as4: boolean | null;
  if (sender !== null && receiver !== null) as4 = has(sender, CAP_FOUR_OCTET_AS) && has(receiver, CAP_FOUR_OCTET_AS);
  else if ((sender !== null && !has(sender, CAP_FOUR_OCTET_AS)) || (receiver !== null && !has(receiver, CAP_FOUR_OCTET_AS))) as4 = false;
  else as4 = null;

  const extended_message =
    (sender === null || has(sender, CAP_EXTENDED_MESSAGE)) && (receiver === null || has(receiver, CAP_EXTENDED_MESSAGE));

  let add_path_send: Set<string> | null;
  const s = sender !== null ? addPathModes(sender) : null;
  const r = receiver !== null ? addPathModes(receiver) : null;
  if (s !== null && r !== null) {
    add_path_send = new Set();
    for (const [key, mode] of s) if (canSend(mode) && canReceive(r.get(key))) add_path_send.add(key);
  } else if (s !== null && ![...s.values()].some(canSend)) add_path_send = new Set();
  else if (r !== null && ![...r.values()].some(canReceive)) add_path_send = new Set();
  else add_path_send = null;

  return { as4, extended_message, add_path_send };
}

/** RFC 8654 §4: the largest message once Extended Message is in use, and the classic limit (RFC 4271 §4.1). */
export const MAX_EXTENDED_MESSAGE = 65535;
export const MAX_CLASSIC_MESSAGE = 4096;

/**
 * The OPENs of one connection and the SessionParams they imply for each direction. The two sides are
 * called A and B (`fromA` true = sent by A), in whatever order the caller assigns. The params objects are
 * replaced (never mutated) when an OPEN arrives, so a caller may hold on to one for a batch of messages.
 */
export class BgpSession {
  private openA: OpenMessage | null = null;
  private openB: OpenMessage | null = null;
  private paramsA: SessionParams = sessionParams(null, null);
  private paramsB: SessionParams = sessionParams(null, null);

  /** Record the OPEN sent by A (`fromA`) or B; a later OPEN from the same side replaces the earlier one. */
  setOpen(fromA: boolean, open: OpenMessage): void {
    if (fromA) this.openA = open;
    else this.openB = open;
    this.paramsA = sessionParams(this.openA, this.openB);
    this.paramsB = sessionParams(this.openB, this.openA);
  }

  /** The OPEN sent by A (`fromA`) or B, or null. */
  open(fromA: boolean): OpenMessage | null {
    return fromA ? this.openA : this.openB;
  }

  /** Parameters for decoding messages sent by A (`fromA`) or B. */
  paramsFor(fromA: boolean): SessionParams {
    return fromA ? this.paramsA : this.paramsB;
  }

  /** The ASN of A (`fromA`) or B from its OPEN (RFC 6793: the 4-octet AS capability when present), or null. */
  asn(fromA: boolean): number | null {
    const o = fromA ? this.openA : this.openB;
    return o === null ? null : o.asn;
  }

  /**
   * Largest message length either side may send: 65535 when Extended Message (RFC 8654) is not ruled out by
   * the OPENs seen (both carry capability 6, or only one OPEN was seen and it carries it), else 4096.
   */
  maxMessageLength(): number {
    return this.paramsA.extended_message ? MAX_EXTENDED_MESSAGE : MAX_CLASSIC_MESSAGE;
  }
}
