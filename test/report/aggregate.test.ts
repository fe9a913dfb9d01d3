// ReportBuilder on hand-made records: the counting rules (path changes, re-announcements, attribute changes,
// rate buckets and their coarsening, ranking, sessions) with expected values worked out by hand.
import { describe, expect, it } from 'vitest';
import { ReportBuilder } from '../../src/report/aggregate.js';
import { jsonForScript, renderHtml } from '../../src/report/html.js';
import type { AsPath, UpdateMessage } from '../../src/bgp/model.js';
import type { MessageRecord } from '../../src/record.js';
import { emptyAttributes } from '../../src/bgp/attributes/attr-128-attr-set.js';

const T = 1_700_000_000;

function upd(over: Partial<UpdateMessage>): UpdateMessage {
  return { ...emptyAttributes(), ...over };
}

let frame = 0;
function rec(t: number, msg: MessageRecord['msg'], from = '192.0.2.1', to = '192.0.2.2', type = 2): MessageRecord {
  const sec = Math.floor(t);
  return {
    kind: 'message',
    ts: { sec, nsec: Math.round((t - sec) * 1e9) },
    frame: ++frame,
    file: 'x.pcap',
    iface: null,
    mux: null,
    peer_ip: from,
    peer_asn: from === '192.0.2.1' ? 65001 : 65002,
    local_ip: to,
    local_asn: to === '192.0.2.1' ? 65001 : 65002,
    src_port: from === '192.0.2.1' ? 40000 : 179,
    dst_port: from === '192.0.2.1' ? 179 : 40000,
    msg_type: type,
    length: 19,
    msg,
    error: null,
    raw: new Uint8Array(0),
    inferred: null,
  };
}

function ann(t: number, prefixes: string[], path: AsPath, extra: Partial<UpdateMessage> = {}, from?: string, to?: string): MessageRecord {
  return rec(t, upd({ announcements: [{ afi: 1, safi: 1, next_hop: '192.0.2.1', next_hop_ll: null, prefixes, path_ids: null }], as_path: path, origin: 'IGP', ...extra }), from, to);
}
function wd(t: number, prefixes: string[], from?: string, to?: string): MessageRecord {
  return rec(t, upd({ withdrawals: [{ afi: 1, safi: 1, prefixes, path_ids: null }] }), from, to);
}

describe('prefix history', () => {
  it('path changes, re-announcements and attribute changes', () => {
    const P = '198.51.100.0/24';
    const b = new ReportBuilder({ historyFor: (_r, e) => e.prefix === P });
    b.record(ann(T + 0, [P], [65001, 3356]));
    b.record(ann(T + 1, [P], [65001, 3356])); // same again: no change
    b.record(ann(T + 2, [P], [65001, 174])); // path change 1
    b.record(wd(T + 3, [P]));
    b.record(ann(T + 4, [P], [65001, 174])); // back after a withdrawal, same path: no change
    b.record(ann(T + 5, [P], [65001, 174], { communities: ['65001:1'] })); // attributes only
    b.record(ann(T + 6, [P, '203.0.113.0/24'], [65001, 3356])); // path change 2
    b.record(ann(T + 7, [P], [65002, 3356], {}, '192.0.2.2', '192.0.2.1')); // other direction: its first
    const d = b.finish();
    const h = d.prefixes.list[0]!;
    expect(d.prefixes.selection).toBe('given');
    expect(d.prefixes.list).toHaveLength(1);
    expect(h.history.map((e) => e.type).join('')).toBe('AAAWAAAA');
    expect(h.history.map((e) => e.path_change)).toEqual([false, false, true, false, false, false, true, false]);
    expect(h.history.map((e) => e.attr_change)).toEqual([false, false, false, false, false, true, false, false]);
    expect([h.path_changes, h.attr_changes, h.announcements, h.withdrawals]).toEqual([2, 1, 7, 1]);
    // Distinct (session, direction, path) triples.
    expect(h.paths.map((p) => [p.dir, p.as_path, p.count])).toEqual([
      ['a', [65001, 3356], 3],
      ['a', [65001, 174], 3],
      ['b', [65002, 3356], 1],
    ]);
    // Graph: 65001 → 3356 / 174 and 65002 → 3356; both 3356 and 174 are origins.
    expect(h.graph.nodes.map((n) => n.id).sort()).toEqual(['174~origin', '3356~origin', '65001', '65002']);
    expect(h.graph.edges.map((e) => [e.from, e.to, e.count])).toEqual([
      ['65001', '3356~origin', 3],
      ['65001', '174~origin', 3],
      ['65002', '3356~origin', 1],
    ]);
    // Everything is counted, also what has no history.
    expect(d.totals.announcements).toBe(8);
    expect(d.prefixes.ranking.map((r) => [r.prefix, r.events, r.detail])).toEqual([
      [P, 8, true],
      ['203.0.113.0/24', 1, false],
    ]);
  });

  it('history is cut at the limit and the rest counted', () => {
    const b = new ReportBuilder({ historyFor: () => true, historyPerPrefix: 3 });
    for (let i = 0; i < 10; i++) b.record(ann(T + i, ['10.0.0.0/8'], [65001]));
    const h = b.finish().prefixes.list[0]!;
    expect([h.history.length, h.history_dropped, h.announcements]).toEqual([3, 7, 10]);
  });

  it('most-changed: ranked by announcements + withdrawals, ties by withdrawals, then text', () => {
    const b = new ReportBuilder({ top: 2 });
    const recs = [ann(T, ['10.0.0.0/8', '10.1.0.0/16', '10.2.0.0/16'], [65001]), wd(T + 1, ['10.2.0.0/16']), ann(T + 2, ['10.1.0.0/16', '10.3.0.0/16'], [65001])];
    for (const r of recs) b.record(r);
    expect(b.selectTop()).toBe(true);
    for (const r of recs) b.history(r);
    const d = b.finish();
    expect(d.prefixes.selection).toBe('most-changed');
    // 10.2 (A+W) and 10.1 (A+A) both have 2; 10.2 has the withdrawal.
    expect(d.prefixes.list.map((h) => h.prefix)).toEqual(['10.2.0.0/16', '10.1.0.0/16']);
    expect(d.prefixes.ranking.map((r) => r.prefix)).toEqual(['10.2.0.0/16', '10.1.0.0/16', '10.0.0.0/8', '10.3.0.0/16']);
  });
});

describe('update rates', () => {
  it('per second, and wider buckets when there are more points than allowed', () => {
    const b = new ReportBuilder({ maxPoints: 100_000 });
    // Two directions, one UPDATE per second each for two days: 345,600 one-second points.
    for (let s = 0; s < 172_800; s++) {
      b.record(ann(T + s + 0.25, ['10.0.0.0/8'], [65001]));
      b.record(wd(T + s + 0.5, ['10.9.0.0/16', '10.8.0.0/16'], '192.0.2.2', '192.0.2.1'));
    }
    const d = b.finish();
    // 2 s buckets give 172,800 points, 5 s buckets 69,120: the narrowest that fits is 5 s.
    expect(d.rates.bucket_seconds).toBe(5);
    expect(d.rates.origin).toBe(T);
    const [a, w] = d.rates.series;
    expect(a!.t.length + w!.t.length).toBe(69_120);
    expect(a!.t.slice(0, 3)).toEqual([0, 1, 2]);
    expect(a!.announcements.slice(0, 3)).toEqual([5, 5, 5]);
    expect(w!.withdrawals.slice(0, 3)).toEqual([10, 10, 10]);
    expect(w!.updates[0]).toBe(5);
    // The busiest seconds are kept at 1-second resolution.
    expect(d.rates.busiest[0]).toMatchObject({ t: T, dir: 'b', announcements: 0, withdrawals: 2 });
    expect(d.notes.some((n) => n.includes('per 5 s'))).toBe(true);
  });
});

describe('sessions', () => {
  it('OPENs, established, NOTIFICATION and silences longer than the hold time', () => {
    const b = new ReportBuilder();
    const openMsg = (asn: number, hold: number): MessageRecord['msg'] => ({
      kind: 'open',
      version: 4,
      my_as: asn,
      asn,
      hold_time: hold,
      bgp_id: '192.0.2.9',
      capabilities: [{ code: 1, name: 'multiprotocol', value: { afi: 1, safi: 1 }, hex: '00010001' }],
      other_params: [],
      extended_opt_params: false,
    });
    b.record(rec(T, openMsg(65001, 90), '192.0.2.1', '192.0.2.2', 1));
    b.record(rec(T + 0.1, openMsg(65002, 30), '192.0.2.2', '192.0.2.1', 1));
    b.record(rec(T + 0.2, { kind: 'keepalive' }, '192.0.2.2', '192.0.2.1', 4));
    b.record(rec(T + 10, { kind: 'keepalive' }, '192.0.2.1', '192.0.2.2', 4));
    b.record(rec(T + 50, { kind: 'keepalive' }, '192.0.2.1', '192.0.2.2', 4)); // 40 s > hold 30 s
    b.record(
      rec(
        T + 60,
        { kind: 'notification', code: 4, subcode: 0, code_name: 'Hold Timer Expired', subcode_name: 'Unspecific', shutdown_message: null, hard_reset: null, max_prefixes: null, unsupported_capabilities: null, data_hex: '' },
        '192.0.2.2',
        '192.0.2.1',
        3,
      ),
    );
    const d = b.finish();
    expect(d.sessions).toHaveLength(1);
    const s = d.sessions[0]!;
    expect([s.a.ip, s.a.asn, s.b.ip, s.b.asn]).toEqual(['192.0.2.1', 65001, '192.0.2.2', 65002]);
    const c = s.connections[0]!;
    expect([c.open_a, c.open_b, c.established, c.hold_time, c.end, c.end_reason, c.mid_session]).toEqual([T, T + 0.1, T + 0.2, 30, T + 60, 'notification', false]);
    expect(s.families).toEqual(['ipv4_unicast']);
    expect(s.notifications).toEqual(['Hold Timer Expired / Unspecific']);
    // b: 0.2 → 60 (59.8 s); a: 10 → 50 (40 s); marks in time order.
    const silences = s.marks.filter((m) => m.kind === 'silence').map((m) => [m.dir, m.t, m.end]);
    expect(silences).toEqual([
      ['b', T + 0.2, T + 60],
      ['a', T + 10, T + 50],
    ]);
    expect(s.marks.map((m) => m.kind)).toEqual(['open', 'open', 'established', 'silence', 'silence', 'notification']);
  });
});

describe('the page', () => {
  it('the data block cannot end the script element, and round-trips', () => {
    const v = { s: '</script><!-- \u2028 <b>' };
    const j = jsonForScript(v);
    expect(j).not.toMatch(/</);
    expect(JSON.parse(j)).toEqual(v);
  });

  it('the page script parses, and the HTML needs nothing from outside', () => {
    const html = renderHtml(new ReportBuilder().finish());
    const script = /<script>([\s\S]*)<\/script>/.exec(html)![1]!;
    expect(() => new Function(script)).not.toThrow();
    expect(html).not.toMatch(/\b(src|href)="(?!data:|#)/);
    expect(html).toContain('id="bgpcap-data"');
  });
});
