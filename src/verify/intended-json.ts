// The intended state from an announcement JSON in the PEERING client's schema (configs/announcement_schema.json,
// peering.py `--announcement FILE`; PEERING.md §4):
//
//   { "<prefix>": { "announce": [ { "muxes": ["amsterdam01", "all", …],
//                                   "peers" | "peer_ids": [X, …],            → community 47065:X each
//                                   "communities": [[A, B], [A, B, C], …],   → a 3-tuple is a large community
//                                   "large_communities": [[A, B, C], …],
//                                   "prepend": [ASN, …],
//                                   "origin": ASN } ],
//                   "withdraw": ["mux", …],
//                   "description": "…" }, … }
//
// peering.py's CLI wraps the file as {"prefix2update": …}; that wrapper is accepted too. The file is read with
// stream-json one prefix at a time (an experiment file can list every prefix of an allocation).
//
// The AS path: with `origin`, the client's template prepends the origin, then `prepend` in reverse, so the wire
// path is prepend[0] … prepend[n-1] origin (§3.4). Without `origin`, maint/refactor sends `prepend` in list order,
// while master silently drops the prepends (§1.7); verify expects the refactor's path and says so when the wire
// path is empty.

import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import streamObject from 'stream-json/streamers/stream-object.js';
import { canonicalPrefix, PEERING_ASN } from './peering-facts.js';
import { expectedRoute, newPrefixIntent, type Intent, type PrefixIntent } from './intent.js';

/** The file is not an announcement in the client's schema: the message names the key and what is wrong. */
export class IntentError extends Error {
  override readonly name = 'IntentError';
}

type Json = unknown;

function isObj(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function asn(v: Json, where: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 0xffffffff) throw new IntentError(`${where}: ${JSON.stringify(v)} is not an AS number`);
  return v;
}

function uint(v: Json, max: number, where: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) throw new IntentError(`${where}: ${JSON.stringify(v)} is not a number 0-${max}`);
  return v;
}

function arr(v: Json, where: string): Json[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new IntentError(`${where}: expected a list, got ${JSON.stringify(v)}`);
  return v;
}

/** One prefix's entry → its PrefixIntent. `where` prefixes messages. */
export function prefixIntentFromJson(key: string, value: Json, where = key): PrefixIntent {
  let prefix: string;
  try {
    prefix = canonicalPrefix(key).text;
  } catch (e) {
    throw new IntentError(`${where}: ${(e as Error).message}`);
  }
  if (!isObj(value)) throw new IntentError(`${where}: expected {"announce": […], "withdraw": […]}`);
  const p = newPrefixIntent(prefix, prefix.includes(':') ? 6 : 4);
  arr(value['announce'], `${where}.announce`).forEach((a, i) => {
    const at = `${where}.announce[${i}]`;
    if (!isObj(a)) throw new IntentError(`${at}: expected an object`);
    const muxes = arr(a['muxes'], `${at}.muxes`);
    if (muxes.length === 0) throw new IntentError(`${at}.muxes: at least one mux (or "all") is required`);
    const communities: string[] = [];
    const large: string[] = [];
    for (const key of ['peers', 'peer_ids']) {
      arr(a[key], `${at}.${key}`).forEach((x, j) => communities.push(`${PEERING_ASN}:${uint(x, 0xffff, `${at}.${key}[${j}]`)}`));
    }
    arr(a['communities'], `${at}.communities`).forEach((c, j) => {
      const t = arr(c, `${at}.communities[${j}]`);
      if (t.length === 2) communities.push(t.map((x, k) => uint(x, 0xffff, `${at}.communities[${j}][${k}]`)).join(':'));
      else if (t.length === 3) large.push(t.map((x, k) => uint(x, 0xffffffff, `${at}.communities[${j}][${k}]`)).join(':'));
      else throw new IntentError(`${at}.communities[${j}]: expected [asn, value] or [asn, x, y]`);
    });
    arr(a['large_communities'], `${at}.large_communities`).forEach((c, j) => {
      const t = arr(c, `${at}.large_communities[${j}]`);
      if (t.length !== 3) throw new IntentError(`${at}.large_communities[${j}]: expected [asn, x, y]`);
      large.push(t.map((x, k) => uint(x, 0xffffffff, `${at}.large_communities[${j}][${k}]`)).join(':'));
    });
    const prepend = arr(a['prepend'], `${at}.prepend`).map((x, j) => asn(x, `${at}.prepend[${j}]`));
    const origin = a['origin'] === undefined || a['origin'] === null ? null : asn(a['origin'], `${at}.origin`);
    const as_path = origin === null ? prepend : [...prepend, origin];
    if (origin === null && prepend.length > 0) {
      p.notes.push(
        `${at}: "prepend" without "origin": peering.py on the client's master branch drops these prepends (its template only prepends inside "if origin"); verify expects the path ${prepend.join(' ')} as maint/refactor sends it`,
      );
    }
    const route = expectedRoute({ as_path, communities, large_communities: large, from: at });
    muxes.forEach((m, j) => {
      if (typeof m !== 'string' || m === '') throw new IntentError(`${at}.muxes[${j}]: expected a mux name`);
      p.announce.set(m, route);
    });
  });
  arr(value['withdraw'], `${where}.withdraw`).forEach((m, j) => {
    if (typeof m !== 'string' || m === '') throw new IntentError(`${where}.withdraw[${j}]: expected a mux name`);
    p.withdraw.add(m);
  });
  return p;
}

/** Read an announcement JSON file (or stream) into an Intent; IntentError for anything not in the schema. */
export async function readAnnouncementJson(input: string | Readable, name = typeof input === 'string' ? input : 'announcement'): Promise<Intent> {
  const src = typeof input === 'string' ? createReadStream(input) : input;
  const items = streamObject.withParserAsStream();
  const prefixes: PrefixIntent[] = [];
  const warnings: string[] = [];
  const seen = new Set<string>();
  const add = (key: string, value: Json, where: string): void => {
    if (key === 'description' && typeof value === 'string') return;
    const p = prefixIntentFromJson(key, value, where);
    if (seen.has(p.prefix)) throw new IntentError(`${where}: ${p.prefix} is listed twice`);
    seen.add(p.prefix);
    prefixes.push(p);
  };
  src.on('error', (e: Error) => items.destroy(e));
  src.pipe(items);
  try {
    for await (const item of items as AsyncIterable<{ key: string; value: Json }>) {
      if (item.key === 'prefix2update' && isObj(item.value)) {
        for (const [k, v] of Object.entries(item.value)) add(k, v, `${name}: prefix2update.${k}`);
      } else {
        add(item.key, item.value, `${name}: ${item.key}`);
      }
    }
  } catch (e) {
    if (e instanceof IntentError) throw e;
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') throw new IntentError(`${name}: no such file`);
    throw new IntentError(`${name}: not a JSON object of prefixes: ${err.message}`);
  } finally {
    src.destroy();
  }
  if (prefixes.length === 0) throw new IntentError(`${name}: no prefix in the announcement`);
  return { source: 'json', prefixes, exhaustive: false, warnings };
}
