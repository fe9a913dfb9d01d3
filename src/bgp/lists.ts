// The lists of a decoded UPDATE that are nearly always empty — warnings, raw attributes, withdrawals (and
// announcements in a withdraw-only UPDATE; attribute codes until the decoder knows how many) — start as one
// shared, frozen empty list instead of a new one per message: the empty arrays were about 130 of the 1,600
// bytes a one-prefix UPDATE allocated (measured over the bench corpus), and allocation is what a full decode
// spent most of its time on (garbage collection). The decoder adds to them only through the functions below
// (and ATTR_SET to its attribute codes), which give a message its own list on the first item. Frozen, so that
// a push elsewhere fails loudly (TypeError) instead of changing every message.

import type { Announcement, DecodeWarning, RawAttribute, UpdateMessage, Withdrawal } from './model.js';

export const NONE: never[] = Object.freeze([]) as unknown as never[];

export function addWarning(m: UpdateMessage, w: DecodeWarning): void {
  if (m.warnings === NONE) m.warnings = [w];
  else m.warnings.push(w);
}

export function addRaw(m: UpdateMessage, a: RawAttribute): void {
  if (m.other_attributes === NONE) m.other_attributes = [a];
  else m.other_attributes.push(a);
}

export function addWithdrawal(m: UpdateMessage, w: Withdrawal): void {
  if (m.withdrawals === NONE) m.withdrawals = [w];
  else m.withdrawals.push(w);
}

export function addAnnouncement(m: UpdateMessage, a: Announcement): void {
  if (m.announcements === NONE) m.announcements = [a];
  else m.announcements.push(a);
}
