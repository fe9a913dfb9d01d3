// bgpcap verify against synthetic tunnel captures whose content the tests write message by message
// (synth-tap.ts). Expected wire paths come from PEERING.md §3.4's table of the client's real do_announce() output,
// typed in here, and every verdict record is validated against schema/verdict.schema.json.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, describe, expect, it } from 'vitest';
import { verify, type CheckOptions } from '../../src/verify/checks.js';
import { intentFromFlags, type IntentFlags } from '../../src/verify/intended-flags.js';
import { readAnnouncementJson } from '../../src/verify/intended-json.js';
import { readPeeringIntent, readAllocated } from '../../src/verify/intended-peering.js';
import type { Intent } from '../../src/verify/intent.js';
import { NO_LINT_CONTEXT } from '../../src/verify/lints.js';
import { observeFiles } from '../../src/verify/observe-files.js';
import { EMPTY_DIRECTORY, Observer, seenFromJson, type MuxDirectory } from '../../src/verify/observed.js';
import { exitCodeOf, formatHuman, type VerdictRecord } from '../../src/verify/verdict.js';
import { T0, TapCapture, pfx } from './synth-tap.js';
import type { UpdateSpec } from '../../bench/lib/synth.js';
import { Readable } from 'node:stream';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

const tmp = mkdtempSync(join(tmpdir(), 'bgpcap-verify-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let caseNo = 0;
function caseDir(): string {
  const d = join(tmp, `c${++caseNo}`);
  mkdirSync(d);
  return d;
}

const schema = JSON.parse(readFileSync(new URL('../../schema/verdict.schema.json', import.meta.url), 'utf8')) as object;
const ajv = new Ajv2020({ allErrors: true, strictTypes: true, strictTuples: true, allowUnionTypes: true });
const validate = ajv.compile(schema);

const P = '184.164.236.0/24';
// PEERING.md §3.4, bold row: `announce -P 2 -p 3356 -o 61574` → wire `61574 3356 61574 61574`.
const WIRE = [61574, 3356, 61574, 61574];
const COMMS: [number, number][] = [[47065, 1001]];
const LARGE: [number, number, number][] = [[47065, 1, 2]];

function flags(f: Partial<IntentFlags>): Intent {
  return intentFromFlags({ prefix: [P], mux: [], withdraw: [], poison: [], community: [], largeCommunity: [], ...f });
}

const INTENT = (): Intent =>
  flags({ mux: ['amsterdam01', 'isi01'], prepend: 2, poison: ['3356'], origin: '61574', community: ['47065:1001'], largeCommunity: ['47065:1:2'] });

const OPTS: CheckOptions = { muxes: null, tapOf: new Map(), resent: new Set(), lint: NO_LINT_CONTEXT };

async function run(files: string[], intent: Intent, opts: Partial<CheckOptions> = {}, dir: MuxDirectory = EMPTY_DIRECTORY): Promise<VerdictRecord[]> {
  const obs = new Observer(new Set(intent.prefixes.map((p) => p.prefix)), dir);
  const problems = await observeFiles(files, obs, dir, { ports: new Set([179]) });
  expect(problems).toEqual([]);
  const vs = verify(intent, obs, { ...OPTS, ...opts });
  for (const v of vs) {
    const ok = validate(JSON.parse(JSON.stringify(v)));
    expect(ok, ajv.errorsText(validate.errors)).toBe(true);
  }
  return vs;
}

function row(vs: VerdictRecord[], mux: string, prefix = P): VerdictRecord {
  const v = vs.find((x) => x.mux === mux && x.prefix === prefix);
  expect(v, `verdict for ${mux} ${prefix}`).toBeDefined();
  return v!;
}

function failed(v: VerdictRecord): string[] {
  return v.checks.filter((c) => c.status === 'fail').map((c) => c.check);
}

/** The correct announcement on a tap: session up (OPENs), then the UPDATE at t. */
function announced(mux: string, n: number, t: number, over: Partial<UpdateSpec> = {}): TapCapture {
  const c = new TapCapture(mux, n);
  const s = c.session(4).connect(T0).opens(T0 + 0.01);
  s.toMux(t, {
    nlri: [pfx(P)],
    nextHop: c.clientV4.split('.').map(Number),
    asPath: WIRE,
    communities: COMMS,
    largeCommunities: LARGE,
    ...over,
  });
  return c;
}

/** A tap whose session is up but carries nothing for the prefix, plus a route that came back through an upstream. */
function returning(mux: string, n: number, t: number, path: number[], nextHop: string): TapCapture {
  const c = new TapCapture(mux, n);
  c.session(4)
    .connect(T0)
    .opens(T0 + 0.01)
    .fromMux(t, { nlri: [pfx(P)], nextHop: nextHop.split('.').map(Number), asPath: path });
  return c;
}

describe('an announcement with prepending, poisoning, communities and large communities on two muxes', () => {
  it('verifies OK, with the poisoning confirmed by a route coming back through a third mux', async () => {
    const d = caseDir();
    const files = [
      announced('amsterdam01', 5, T0 + 10).write(d),
      announced('isi01', 2, T0 + 10.5).write(d),
      // vtrmiami (tap23) is not a target: the prefix comes back from its upstream 518 (next hop 100.87.2.6), the
      // poisoned AS 3356 only right of 47065.
      returning('vtrmiami', 23, T0 + 12, [64515, 174, 47065, ...WIRE], '100.87.2.6').write(d),
    ];
    const vs = await run(files, INTENT());
    expect(vs.map((v) => [v.mux, v.intent, v.status])).toEqual([
      ['amsterdam01', 'announce', 'ok'],
      ['isi01', 'announce', 'ok'],
      ['vtrmiami', 'none', 'ok'],
    ]);
    expect(exitCodeOf(vs)).toBe(0);
    const a = row(vs, 'amsterdam01');
    expect(a.iface).toBe('tap5');
    expect(a.expected?.as_path).toEqual(WIRE);
    expect(a.expected?.upstream_path).toEqual([47065, ...WIRE]);
    expect(a.seen?.next_hop).toBe('100.69.128.2');
    expect(a.seen?.session).toBe('ipv4');
    const m = row(vs, 'vtrmiami');
    expect(m.returned).toEqual([
      expect.objectContaining({ upstream_id: 518, upstream_id_from: 'next_hop', upstream_asn: 64515, leaked_poisons: [], as_path: [64515, 174, 47065, ...WIRE] }),
    ]);
    expect(m.checks.find((c) => c.check === 'poisoning')?.status).toBe('ok');
    const h = formatHuman(vs);
    expect(h).toMatch(/confirmed — 1 returned path/);
    expect(h).toMatch(/exit 0/);
  });
});

describe('deliberate mistakes are each reported precisely, with exit code 1', () => {
  it('a wrong community', async () => {
    const d = caseDir();
    const files = [announced('amsterdam01', 5, T0 + 10).write(d), announced('isi01', 2, T0 + 10, { communities: [[47065, 1002]] as [number, number][] }).write(d)];
    const vs = await run(files, INTENT());
    expect(row(vs, 'amsterdam01').status).toBe('ok');
    const v = row(vs, 'isi01');
    expect(v.status).toBe('fail');
    expect(failed(v)).toEqual(['communities']);
    const c = v.checks.find((x) => x.check === 'communities')!;
    expect(c.expected).toEqual(['47065:1001']);
    expect(c.seen).toEqual(['47065:1002']);
    expect(c.message).toBe('expected 47065:1001, seen 47065:1002 (missing 47065:1001; unexpected 47065:1002)');
    expect(exitCodeOf(vs)).toBe(1);
  });

  it('a missing mux (its session came up in the capture, no UPDATE for the prefix)', async () => {
    const d = caseDir();
    const isi = new TapCapture('isi01', 2);
    isi.session(4).connect(T0).opens(T0 + 0.01);
    const vs = await run([announced('amsterdam01', 5, T0 + 10).write(d), isi.write(d)], INTENT());
    const v = row(vs, 'isi01');
    expect(failed(v)).toEqual(['announced']);
    expect(v.checks[0]!.message).toMatch(/^expected an announcement of 184\.164\.236\.0\/24, seen no UPDATE for it \(the IPv4 session started in the capture/);
    expect(exitCodeOf(vs)).toBe(1);
  });

  it('an extra prepend', async () => {
    const d = caseDir();
    // -P 3 instead of -P 2: one more origin line at the top of the filter, i.e. at the right of the wire path.
    const files = [announced('amsterdam01', 5, T0 + 10, { asPath: [...WIRE, 61574] }).write(d), announced('isi01', 2, T0 + 10).write(d)];
    const vs = await run(files, INTENT());
    const v = row(vs, 'amsterdam01');
    expect(failed(v)).toEqual(['as_path']);
    expect(v.checks.find((x) => x.check === 'as_path')!.message).toBe('expected 61574 3356 61574 61574, seen 61574 3356 61574 61574 61574 (1 extra prepend of 61574)');
    expect(exitCodeOf(vs)).toBe(1);
  });

  it('a forgotten withdrawal', async () => {
    const d = caseDir();
    const intent = flags({ mux: ['amsterdam01'], withdraw: ['isi01'], prepend: 2, poison: ['3356'], origin: '61574', community: ['47065:1001'], largeCommunity: ['47065:1:2'] });
    const vs = await run([announced('amsterdam01', 5, T0 + 10).write(d), announced('isi01', 2, T0 + 10).write(d)], intent);
    expect(row(vs, 'amsterdam01').status).toBe('ok');
    const v = row(vs, 'isi01');
    expect(v.intent).toBe('withdraw');
    expect(failed(v)).toEqual(['withdrawn']);
    expect(v.checks[0]!.message).toMatch(/^expected withdrawn, seen announced with AS path 61574 3356 61574 61574 at .* — a forgotten withdrawal$/);
    expect(exitCodeOf(vs)).toBe(1);
  });

  // RFC 7606: a receiver handles the routes of an UPDATE with a treat-as-withdraw error as withdrawn (§7.4:
  // MULTI_EXIT_DISC of a length other than 4), while an attribute-discard error (§7.6: ATOMIC_AGGREGATE of a length
  // other than 0) only drops that attribute.
  it('an announcement in a malformed UPDATE the mux treats as a withdrawal is not announced', async () => {
    const d = caseDir();
    const intent = flags({ mux: ['amsterdam01', 'isi01'], prepend: 2, poison: ['3356'], origin: '61574', community: ['47065:1001'], largeCommunity: ['47065:1:2'] });
    const badMed = Uint8Array.from([0x80, 4, 2, 0, 100]);
    const badAtomic = Uint8Array.from([0x40, 6, 1, 0]);
    const files = [announced('amsterdam01', 5, T0 + 10, { extraAttributes: [badMed] }).write(d), announced('isi01', 2, T0 + 10, { extraAttributes: [badAtomic] }).write(d)];
    const vs = await run(files, intent);
    const v = row(vs, 'amsterdam01');
    expect(failed(v)).toEqual(['announced']);
    expect(v.checks[0]!.message).toMatch(/^expected announced, seen withdrawn at .* \(announced in a malformed UPDATE that the mux treats as a withdrawal, RFC 7606: attribute_length at offset \d+: MULTI_EXIT_DISC/);
    expect(v.seen).toMatchObject({ state: 'withdrawn', as_path: null, malformed: expect.stringMatching(/^attribute_length at offset \d+: MULTI_EXIT_DISC/) as string });
    const ok = row(vs, 'isi01');
    expect(ok.status).toBe('ok');
    expect(ok.seen).toMatchObject({ state: 'announced', malformed: null });

    // The same from the JSON records `bgpcap read -f jsonl` writes, which `verify --live` reads (seenFromJson).
    const obs = new Observer(new Set([P]), EMPTY_DIRECTORY);
    for (const f of files) {
      const r = spawnSync(process.execPath, [join(root, 'dist/cli.js'), 'read', '-f', 'jsonl', f], { encoding: 'utf8' });
      expect(r.status).toBe(0);
      for (const line of r.stdout.split('\n')) {
        const m = line === '' ? null : seenFromJson(JSON.parse(line) as Record<string, unknown>);
        if (m !== null) obs.message(m);
      }
    }
    obs.finish();
    const fromJson = verify(intent, obs, OPTS);
    expect(row(fromJson, 'amsterdam01').seen).toEqual(v.seen);
    expect(row(fromJson, 'isi01').seen).toEqual(ok.seen);
  });

  it('a withdrawal that was sent is as intended, with the time from the change', async () => {
    const d = caseDir();
    const c = new TapCapture('isi01', 2);
    c.session(4)
      .connect(T0)
      .opens(T0 + 0.01)
      .toMux(T0 + 10, { nlri: [pfx(P)], nextHop: [100, 66, 128, 2], asPath: WIRE, communities: COMMS, largeCommunities: LARGE })
      .toMux(T0 + 700.25, { withdrawn: [pfx(P)] });
    const intent = flags({ mux: ['amsterdam01'], withdraw: ['isi01'], prepend: 2, poison: ['3356'], origin: '61574', community: ['47065:1001'], largeCommunity: ['47065:1:2'] });
    for (const p of intent.prefixes) p.changed.set('*', T0 + 700);
    const vs = await run([announced('amsterdam01', 5, T0 + 700.5).write(d), c.write(d)], intent);
    const v = row(vs, 'isi01');
    expect(v.status).toBe('ok');
    expect(v.seen?.state).toBe('withdrawn');
    expect(v.latency).toBeCloseTo(0.25, 5);
    expect(row(vs, 'amsterdam01').latency).toBeCloseTo(0.5, 5);
    expect(exitCodeOf(vs)).toBe(0);
  });

  it('a poisoning leak: the poisoned AS carried the route back, reported with path, mux and upstream', async () => {
    const d = caseDir();
    // vtrmiami's upstream 20 (next hop 100.87.0.20) is AS 3356 itself, which ignored the loop.
    const leak = [3356, 65010, 47065, ...WIRE];
    const files = [announced('amsterdam01', 5, T0 + 10).write(d), announced('isi01', 2, T0 + 10).write(d), returning('vtrmiami', 23, T0 + 12, leak, '100.87.0.20').write(d)];
    const vs = await run(files, INTENT());
    const v = row(vs, 'vtrmiami');
    expect(v.status).toBe('fail');
    expect(failed(v)).toEqual(['poisoning']);
    expect(v.returned[0]).toMatchObject({ upstream_id: 20, upstream_asn: 3356, leaked_poisons: [3356], next_hop: '100.87.0.20' });
    const c = v.checks.find((x) => x.check === 'poisoning')!;
    expect(c.message).toMatch(/^AS3356 carried 184\.164\.236\.0\/24 back to vtrmiami via upstream 20 \(AS3356\), next hop 100\.87\.0\.20: path 3356 65010 47065 61574 3356 61574 61574 at .* — poisoning leak$/);
    expect(formatHuman(vs)).toMatch(/LEAK via vtrmiami, upstream 20 \(AS3356\), next hop 100\.87\.0\.20: 3356 65010 47065 61574 3356 61574 61574/);
    expect(exitCodeOf(vs)).toBe(1);
  });

  it('an announcement to a mux that is not a target', async () => {
    const d = caseDir();
    const files = [announced('amsterdam01', 5, T0 + 10).write(d), announced('isi01', 2, T0 + 10).write(d), announced('uw01', 10, T0 + 10).write(d)];
    const vs = await run(files, INTENT());
    const v = row(vs, 'uw01');
    expect(v.intent).toBe('none');
    expect(failed(v)).toEqual(['not_announced']);
    expect(v.checks[0]!.message).toMatch(/^uw01 is not a target of 184\.164\.236\.0\/24, but it was announced with AS path 61574 3356 61574 61574 at /);
  });

  it('wrong next hop, LOCAL_PREF, MED and ORIGIN are each named', async () => {
    const d = caseDir();
    const files = [
      announced('amsterdam01', 5, T0 + 10, { nextHop: [100, 69, 128, 9], localPref: 200, med: 5, origin: 2 }).write(d),
      announced('isi01', 2, T0 + 10).write(d),
    ];
    const v = row(await run(files, INTENT()), 'amsterdam01');
    expect(failed(v)).toEqual(['origin', 'local_pref', 'med', 'next_hop']);
    expect(v.checks.find((c) => c.check === 'next_hop')!.message).toBe("expected the client's address 100.69.128.2, seen 100.69.128.9");
    expect(v.checks.find((c) => c.check === 'med')!.message).toBe('expected no MED, seen MED 5');
    expect(v.checks.find((c) => c.check === 'origin')!.message).toBe('expected ORIGIN IGP, seen INCOMPLETE');
  });
});

describe('could not check: exit code 2', () => {
  it('no capture of a target mux', async () => {
    const d = caseDir();
    const vs = await run([announced('amsterdam01', 5, T0 + 10).write(d)], INTENT(), { tapOf: new Map([['isi01', 'tap2']]) });
    const v = row(vs, 'isi01');
    expect(v.status).toBe('unknown');
    expect(v.checks[0]!.message).toBe('no capture of isi01 (isi01.tap2.pcap, or --live)');
    expect(exitCodeOf(vs)).toBe(2);
  });

  it('a capture that starts mid-session with nothing for the prefix is inconclusive, unless it starts before the change', async () => {
    const d = caseDir();
    const mid = (): string => {
      const c = new TapCapture('isi01', 2);
      // No handshake, no OPEN: only KEEPALIVEs from T0 + 100 on.
      const s = c.session(4);
      s.send(T0 + 100, true, new Uint8Array([...Array(16).fill(0xff), 0, 19, 4]));
      s.send(T0 + 101, false, new Uint8Array([...Array(16).fill(0xff), 0, 19, 4]));
      return c.write(d);
    };
    const files = [announced('amsterdam01', 5, T0 + 10).write(d), mid()];
    let vs = await run(files, INTENT());
    expect(row(vs, 'isi01').status).toBe('unknown');
    expect(exitCodeOf(vs)).toBe(2);
    const intent = INTENT();
    intent.prefixes[0]!.changed.set('*', T0 + 100.5);
    vs = await run(files, intent);
    expect(row(vs, 'isi01').status).toBe('fail');
    expect(row(vs, 'isi01').checks[0]!.message).toMatch(/the capture starts \(.*\) before the change/);
  });
});

describe('IPv6', () => {
  const P6 = '2804:269c:5::/48';
  it('an IPv6 prefix on the IPv6 session with the client address as next hop (global + link-local) is OK', async () => {
    const d = caseDir();
    const c = new TapCapture('amsterdam01', 5);
    c.session(6)
      .connect(T0)
      .opens(T0 + 0.01)
      .toMux(T0 + 5, { v6Nlri: [pfx(P6)], v6NextHop: pfx(`${c.clientV6}/128`).addr, v6NextHopLl: pfx('fe80::2/128').addr, asPath: [47065, 47065] });
    const intent = intentFromFlags({ prefix: [P6], mux: ['amsterdam01'], withdraw: [], prepend: 2, poison: [], community: [], largeCommunity: [] });
    const vs = await run([c.write(d)], intent);
    const v = row(vs, 'amsterdam01', P6);
    expect(v.status).toBe('ok');
    expect(v.family).toBe('ipv6');
    expect(v.seen).toMatchObject({ next_hop: '2804:269c:ff00:5:1::2', next_hop_ll: 'fe80::2', session: 'ipv6', afi: 2 });
  });

  it('an IPv6 prefix sent on the IPv4 session is a failure', async () => {
    const d = caseDir();
    const c = new TapCapture('amsterdam01', 5);
    c.session(4)
      .connect(T0)
      .opens(T0 + 0.01)
      .toMux(T0 + 5, { v6Nlri: [pfx(P6)], v6NextHop: pfx('2804:269c:ff00:5:1::2/128').addr, asPath: [] });
    const intent = intentFromFlags({ prefix: [P6], mux: ['amsterdam01'], withdraw: [], poison: [], community: [], largeCommunity: [] });
    const v = row(await run([c.write(d)], intent), 'amsterdam01', P6);
    expect(failed(v)).toEqual(['session']);
    expect(v.checks.find((x) => x.check === 'session')!.message).toBe('expected the IPv6 prefix on the IPv6 session, seen on the IPv4 session 100.69.128.2 → 100.69.128.1');
    expect(v.lints.map((l) => l.code)).toContain('no_ipv6_session');
  });
});

describe('intent from the client checkout (--peering)', () => {
  function checkout(): string {
    const dir = join(caseDir(), 'client');
    mkdirSync(join(dir, 'configs/bird/prefix-filters'), { recursive: true });
    mkdirSync(join(dir, 'configs/bird/route-announcements'), { recursive: true });
    mkdirSync(join(dir, 'var'), { recursive: true });
    writeFileSync(join(dir, 'var/mux2dev.txt'), 'amsterdam01 tap5\nisi01 tap2\nvtrmiami tap23\n');
    writeFileSync(join(dir, 'prefixes.txt'), `${P}\n`);
    writeFileSync(join(dir, 'prefixes6.txt'), '');
    // What `announce -m <mux> -P 2 -p 3356 -o 61574 -c 47065,1001 -l 47065,1,2` writes (PEERING.md §3.3 order).
    const filter = `if ( net = ${P} ) then {
    bgp_path.prepend(61574);
    bgp_path.prepend(61574);
    bgp_path.prepend(3356);
    bgp_path.prepend(61574);
    bgp_community.add((47065,1001));
    bgp_large_community.add((47065,1,2));
    accept;
}
`;
    for (const m of ['amsterdam01', 'isi01']) {
      const f = join(dir, `configs/bird/prefix-filters/export_${m}_184.164.236.0-24.conf`);
      writeFileSync(f, filter);
      utimesSync(f, T0 + 5, T0 + 5);
    }
    writeFileSync(join(dir, 'configs/bird/route-announcements/184.164.236.0-24'), `route ${P} unreachable;\n`);
    return dir;
  }

  it('reads the filter files: wire path = prepend lines reversed, change time = mtime', () => {
    const intent = readPeeringIntent(checkout());
    expect(intent.warnings).toEqual([]);
    expect(intent.prefixes.map((p) => p.prefix)).toEqual([P]);
    const p = intent.prefixes[0]!;
    expect([...p.announce.keys()]).toEqual(['amsterdam01', 'isi01']);
    expect(p.announce.get('isi01')).toMatchObject({ as_path: WIRE, communities: ['47065:1001'], large_communities: ['47065:1:2'], poisons: [3356], origin_asn: 61574 });
    expect(p.changed.get('isi01')).toBe(T0 + 5);
  });

  it('verifies the captures, and a prefix the client sends without a filter file fails', async () => {
    const dir = checkout();
    const d = caseDir();
    const ams = new TapCapture('amsterdam01', 5);
    ams
      .session(4)
      .connect(T0)
      .opens(T0 + 0.01)
      .toMux(T0 + 6, { nlri: [pfx(P)], nextHop: [100, 69, 128, 2], asPath: WIRE, communities: COMMS, largeCommunities: LARGE })
      .toMux(T0 + 7, { nlri: [pfx('184.164.237.0/24')], nextHop: [100, 69, 128, 2], asPath: [] });
    const files = [ams.write(d), announced('isi01', 2, T0 + 6.75).write(d)];
    const dirInfo: MuxDirectory = { byIface: new Map([['tap5', 'amsterdam01'], ['tap2', 'isi01'], ['tap23', 'vtrmiami']]), byAddress: new Map(), byId: new Map([[5, 'amsterdam01'], [2, 'isi01'], [23, 'vtrmiami']]) };
    const vs = await run(files, readPeeringIntent(dir), { muxes: ['amsterdam01', 'isi01', 'vtrmiami'], lint: { allocated: readAllocated(dir), v6Muxes: null } }, dirInfo);
    expect(row(vs, 'amsterdam01').status).toBe('ok');
    expect(row(vs, 'amsterdam01').latency).toBeCloseTo(1, 5);
    expect(row(vs, 'isi01').latency).toBeCloseTo(1.75, 5);
    const stray = row(vs, 'amsterdam01', '184.164.237.0/24');
    expect(stray.status).toBe('fail');
    expect(stray.checks[0]!.message).toMatch(/^the client has no export filter for 184\.164\.237\.0\/24 towards amsterdam01, but announced it/);
    expect(exitCodeOf(vs)).toBe(1);
  });

  it('a leak through a mux that is not a target counts from the announcement, not from a later change of the directory', async () => {
    const dir = checkout();
    // Another prefix announced later touches the directory (T0 + 100); the leak came at T0 + 50.
    utimesSync(join(dir, 'configs/bird/prefix-filters'), T0 + 100, T0 + 100);
    const d = caseDir();
    const files = [
      announced('amsterdam01', 5, T0 + 6).write(d),
      announced('isi01', 2, T0 + 6).write(d),
      returning('vtrmiami', 23, T0 + 50, [3356, 47065, ...WIRE], '100.87.0.20').write(d),
    ];
    const intent = readPeeringIntent(dir);
    expect(intent.prefixes[0]!.changed.get('*')).toBe(T0 + 100);
    const v = row(await run(files, intent, { muxes: ['amsterdam01', 'isi01', 'vtrmiami'] }), 'vtrmiami');
    expect(v.change_time).toBe(T0 + 100);
    expect(failed(v)).toEqual(['poisoning']);
  });
});

describe('intent from an announcement JSON (stream-json)', () => {
  it('reads prefixes, muxes, peer ids, communities, prepend with origin, and withdrawals', async () => {
    const json = JSON.stringify({
      [P]: {
        announce: [{ muxes: ['amsterdam01'], peer_ids: [7], communities: [[47065, 1001], [47065, 1, 2]], prepend: [3356, 61574], origin: 61574 }],
        withdraw: ['isi01'],
        description: 'test',
      },
      '2804:269C:0005::/48': { announce: [{ muxes: ['all'], prepend: [61574] }] },
    });
    const intent = await readAnnouncementJson(Readable.from([json.slice(0, 37), json.slice(37)]), 'ann.json');
    const [a, b] = intent.prefixes;
    // PEERING.md §3.4: origin=61574, prepend=[3356,61574] → wire 3356 61574 61574.
    expect(a!.announce.get('amsterdam01')).toMatchObject({ as_path: [3356, 61574, 61574], communities: ['47065:7', '47065:1001'], large_communities: ['47065:1:2'] });
    expect([...a!.withdraw]).toEqual(['isi01']);
    expect(b!.prefix).toBe('2804:269c:5::/48');
    expect(b!.announce.get('all')!.as_path).toEqual([61574]);
    expect(b!.notes[0]).toMatch(/peering\.py on the client's master branch drops these prepends/);
  });

  it('rejects what is not in the schema, naming the key', async () => {
    await expect(readAnnouncementJson(Readable.from(['{"184.164.236.0/24": {"announce": [{"muxes": []}]}}']), 'a.json')).rejects.toThrow(
      'a.json: 184.164.236.0/24.announce[0].muxes: at least one mux (or "all") is required',
    );
    await expect(readAnnouncementJson(Readable.from(['[1,2]']), 'a.json')).rejects.toThrow(/a\.json: not a JSON object of prefixes/);
    await expect(readAnnouncementJson(Readable.from(['{"184.164.236.1/24": {}}']), 'a.json')).rejects.toThrow(/bits set past \/24/);
  });
});

describe('lints', () => {
  it('path too long, too many communities, origin not PEERING, prefix outside PEERING, changes too close', async () => {
    const d = caseDir();
    const Q = '10.1.0.0/24';
    const comms = Array.from({ length: 21 }, (_, i) => `47065:${i + 1}`);
    const intent = intentFromFlags({ prefix: [Q], mux: ['amsterdam01'], withdraw: [], prepend: 4, origin: '65000', poison: ['3356', '174'], community: comms, largeCommunity: [] });
    const wire = intent.prefixes[0]!.announce.get('amsterdam01')!.as_path;
    const c = new TapCapture('amsterdam01', 5);
    const s = c.session(4).connect(T0).opens(T0 + 0.01);
    s.toMux(T0 + 10, { nlri: [pfx(Q)], nextHop: [100, 69, 128, 2], asPath: [] });
    s.toMux(T0 + 70, { nlri: [pfx(Q)], nextHop: [100, 69, 128, 2], asPath: wire, communities: comms.map((x) => x.split(':').map(Number) as [number, number]) });
    const v = row(await run([c.write(d)], intent), 'amsterdam01', Q);
    expect(v.status).toBe('ok');
    expect(v.lints.map((l) => l.code).sort()).toEqual(['changes_too_close', 'origin_not_peering', 'path_too_long', 'prefix_outside_peering', 'too_many_communities']);
    expect(v.lints.find((l) => l.code === 'changes_too_close')!.message).toMatch(/changed 60\.0 s apart/);
  });
});
