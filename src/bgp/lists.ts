// The lists of a decoded UPDATE that are nearly always empty — warnings, raw attributes, withdrawals (and
// announcements in a withdraw-only UPDATE; attribute codes until the decoder knows how many) — start as one
// shared, frozen empty list instead of a new one per message: the empty arrays were about 130 of the 1,600
// bytes a one-prefix UPDATE allocated (measured over the bench corpus), and allocation is what a full decode
// spent most of its time on (garbage collection). The decoder adds to them only through add() below, which
// gives a message its own list on the first item. Frozen, so that a push elsewhere fails loudly (TypeError)
// instead of changing every message.

export const NONE: never[] = Object.freeze([]) as unknown as never[];

/** `list` with `item` added: a list of its own when `list` is the shared NONE. Store the result back. */
export function add<T>(list: T[], item: T): T[] {
  if (list === NONE) return [item];
  list.push(item);
  return list;
}
