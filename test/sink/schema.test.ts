// schema/record.schema.json against the jsonl sink: every kind of record at both levels validates, and the
// schema is strict enough to reject a record with a key missing, extra or of the wrong kind.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { BgpRecord } from '../../src/record.js';
import { createFormatter } from '../../src/sink/index.js';
import {
  BAD_UPDATE,
  EOR,
  GAP,
  KEEPALIVE,
  NOTIFICATION,
  OPEN,
  RESET,
  ROUTE_REFRESH,
  U1,
  U6,
  UNKNOWN_TYPE,
  message,
  update,
} from './records.js';

const schema = JSON.parse(readFileSync(new URL('../../schema/record.schema.json', import.meta.url), 'utf8')) as object;
const ajv = new Ajv2020({ allErrors: true, strictTypes: true, strictTuples: true });
const validate = ajv.compile(schema);

function check(o: unknown): string | null {
  return validate(o) ? null : ajv.errorsText(validate.errors);
}

/** A partly decoded UPDATE with an error (decoder stopped mid-way): update keys and error + raw together. */
const PARTIAL = message(update({ warnings: [{ code: 'bad_origin', message: 'ORIGIN 7', offset: 24, action: 'treat-as-withdraw', attr_code: 1, hex: '40010107' }], origin: 'ORIGIN_7' }), {
  error: { code: 'nlri', message: 'prefix length 33 > 32', offset: 40 },
  raw: new Uint8Array([0xff, 0x00]),
});

function variety(): BgpRecord[] {
  const out: BgpRecord[] = [U1, U6, EOR, OPEN, KEEPALIVE, NOTIFICATION, ROUTE_REFRESH, BAD_UPDATE, UNKNOWN_TYPE, GAP, RESET, PARTIAL];
  out.push({ ...U1, inferred: { as4: true } });
  out.push({ ...KEEPALIVE, file: null, iface: 'eth0', mux: 'amsterdam01', peer_asn: null, local_asn: null, src_port: null, dst_port: null, peer_ip: null, local_ip: null });
  out.push({ ...OPEN, msg: null, error: { code: 'open_short', message: 'OPEN shorter than 29 bytes', offset: 19 }, raw: new Uint8Array([1, 2, 3]) });
  out.push(
    message(
      update({
        withdrawals: [{ afi: 1, safi: 128, prefixes: ['100:1:10.0.0.0/24'], path_ids: null }],
        announcements: [{ afi: 2, safi: 1, next_hop: null, next_hop_ll: null, prefixes: ['2001:db8::/32'], path_ids: null }],
        as_path: [[1, 2]],
        other_attributes: [{ code: 99, flags: 0xc0, hex: '0102' }],
        end_of_rib: null,
        communities: [],
      }),
    ),
  );
  // Deterministic pseudo-random UPDATEs: many shapes of the same message.
  let seed = 12345;
  const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
  for (let i = 0; i < 200; i++) {
    const addPath = rnd(2) === 1;
    const pfx = (k: number) => Array.from({ length: k }, (_, j) => `10.${i & 255}.${j}.0/24`);
    const nw = rnd(3);
    const na = rnd(4);
    out.push(
      message(
        update({
          withdrawals: nw === 0 ? [] : [{ afi: 1, safi: 1, prefixes: pfx(nw), path_ids: addPath ? Array.from({ length: nw }, (_, j) => j + 1) : null }],
          announcements:
            na === 0 ? [] : [{ afi: 1, safi: 1, next_hop: '192.0.2.1', next_hop_ll: null, prefixes: pfx(na), path_ids: addPath ? Array.from({ length: na }, (_, j) => j) : null }],
          as_path: rnd(4) === 0 ? null : Array.from({ length: rnd(5) }, () => (rnd(5) === 0 ? [rnd(70000), rnd(70000)] : rnd(4294967295))),
          origin: ['IGP', 'EGP', 'INCOMPLETE', null][rnd(4)]!,
          med: rnd(2) === 0 ? null : rnd(1000),
          local_pref: rnd(2) === 0 ? null : rnd(1000),
          atomic_aggregate: rnd(2) === 0,
          communities: rnd(2) === 0 ? null : [`${rnd(65536)}:${rnd(65536)}`],
          end_of_rib: nw + na === 0 && rnd(2) === 0 ? [[1, 1]] : null,
        }),
        { ts: { sec: 1700000000 + i, nsec: rnd(1_000_000_000) }, frame: i + 1 },
      ),
    );
  }
  return out;
}

describe('schema/record.schema.json', () => {
  for (const level of ['msg', 'elem'] as const) {
    it(`every jsonl record validates (--level ${level})`, () => {
      const f = createFormatter({ format: 'jsonl', level });
      let n = 0;
      const kinds = new Set<string>();
      for (const r of variety()) {
        for (const line of f.format(r).trimEnd().split('\n')) {
          const o = JSON.parse(line) as Record<string, unknown>;
          expect(check(o), line).toBeNull();
          kinds.add('event' in o ? 'event' : 'type' in o ? 'elem' : `message ${String(o['msg_type'])}${'error' in o ? ' error' : ''}`);
          n++;
        }
      }
      expect(n).toBeGreaterThan(200);
      for (const k of ['event', 'message OPEN', 'message UPDATE', 'message KEEPALIVE', 'message NOTIFICATION', 'message ROUTE-REFRESH', 'message UPDATE error', 'message MSG_7 error']) {
        expect(kinds).toContain(k);
      }
      expect(kinds.has('elem')).toBe(level === 'elem');
    });
  }

  const msgF = createFormatter({ format: 'jsonl', level: 'msg' });
  const elemF = createFormatter({ format: 'jsonl', level: 'elem' });
  const obj = (s: string) => JSON.parse(s.split('\n')[0]!) as Record<string, unknown>;
  const without = (o: Record<string, unknown>, k: string) => {
    const c = { ...o };
    delete c[k];
    return c;
  };

  it('the valid originals pass (so the rejections below are about the change)', () => {
    for (const s of [msgF.format(U1), msgF.format(OPEN), elemF.format(U1), msgF.format(GAP), msgF.format(BAD_UPDATE)]) {
      expect(check(obj(s))).toBeNull();
    }
  });

  it.each([
    ['timestamp', () => msgF.format(U1)],
    ['peer_asn', () => msgF.format(KEEPALIVE)],
    ['as_path', () => msgF.format(U1)],
    ['open', () => msgF.format(OPEN)],
    ['notification', () => msgF.format(NOTIFICATION)],
    ['inferred', () => msgF.format(KEEPALIVE)],
    ['prefix', () => elemF.format(U1)],
    ['origin_asns', () => elemF.format(U1)],
    ['message', () => msgF.format(GAP)],
    ['raw', () => msgF.format(BAD_UPDATE)],
    ['v', () => msgF.format(GAP)],
  ])('rejects a record without %s', (key, make) => {
    const o = obj(make());
    expect(key in o).toBe(true);
    expect(check(without(o, key))).not.toBeNull();
  });

  it('rejects wrong types and keys that do not belong', () => {
    const u = obj(msgF.format(U1));
    expect(check({ ...u, med: '0' })).not.toBeNull();
    expect(check({ ...u, peer_asn: -1 })).not.toBeNull();
    expect(check({ ...u, v: 2 })).not.toBeNull();
    expect(check({ ...u, bogus: 1 })).not.toBeNull();
    expect(check({ ...obj(msgF.format(KEEPALIVE)), withdrawals: [] })).not.toBeNull();
    expect(check({ ...obj(msgF.format(KEEPALIVE)), msg_type: 'HELLO' })).not.toBeNull();
    const w = obj(elemF.format(U1));
    expect(w['type']).toBe('W');
    expect(check({ ...w, as_path: [1] })).not.toBeNull();
    expect(check({ ...w, type: 'X' })).not.toBeNull();
    expect(check({ ...obj(msgF.format(UNKNOWN_TYPE)), error: undefined, raw: undefined })).not.toBeNull();
  });
});

describe('documentation in step with the registry', () => {
  it('src/sink/README.md lists every field, and every jsonl key is a registered field', async () => {
    const { FIELDS, JSON_KEYS } = await import('../../src/sink/fields.js');
    const readme = readFileSync(new URL('../../src/sink/README.md', import.meta.url), 'utf8');
    for (const f of FIELDS) expect(readme, f.name).toContain(`| \`${f.name}\` |`);
    const names = new Set(FIELDS.map((f) => f.name));
    for (const list of Object.values(JSON_KEYS)) for (const k of list) expect(names.has(k), k).toBe(true);
  });
});
