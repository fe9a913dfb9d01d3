// `bgpcap verify` in the lab (lab.sh, README there): real BIRD doing the announcing over real OpenVPN tap tunnels
// to two muxes (amsterdam01 = tap5 with upstreams AS 3356 and 174, seattle01 = tap1 with upstreams 174 and 2914),
// in network namespaces this file creates and removes. Needs root, iproute2, bird2, openvpn, openssl and the native
// pcap package; skips with the reason otherwise.
//
// What is checked, and against what:
//   - an announcement with prepending, poisoning, communities and large communities on both muxes verifies OK,
//     with the expected path typed in from PEERING.md §3.4's rule (not computed by verify), from a live run and,
//     identically, from the pcap files that run wrote;
//   - deliberate mistakes (a wrong community, a missing mux, an extra prepend, a forgotten withdrawal) made with the
//     lab's real `announce`, each reported by the one check that differs, with its expected and seen values, exit 1;
//   - poisoning: announced at amsterdam01 with AS 174 poisoned, BIRD in AS 174 drops it (its own table, asked with
//     birdc, has no route while AS 3356 has one) and the route coming back through seattle01 never has 174 left of
//     47065; with `allow local as` on AS 174 the route comes back through it and verify reports the leak and path.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { cli, inNs, jsonLines, live, root, sleep, type Proc } from '../live/harness.js';
import { LAB, useLab } from './harness.js';

const { skip, W, CL, CLIENT_NS, lab } = useLab('vlab', ['bird', 'birdc', 'openvpn', 'openssl', 'bash']);
// The client's tap addresses the lab's OpenVPN servers push (lab.sh ccd): the next hop BIRD sends.
const CLIENT_V4 = { amsterdam01: '100.69.128.2', seattle01: '100.65.128.2' } as const;
const [P1, P2, P3, P4] = ['184.164.236.0/24', '184.164.237.0/24', '184.164.238.0/24', '184.164.239.0/24'] as const;

const schema = JSON.parse(readFileSync(join(root, 'schema/verdict.schema.json'), 'utf8')) as object;
const ajv = new Ajv2020({ allErrors: true, strictTypes: true, allowUnionTypes: true });
const validate = ajv.compile(schema);

type Rec = Record<string, unknown>;
interface Check {
  check: string;
  status: string;
  expected: unknown;
  seen: unknown;
  message: string;
}

/** A BIRD command's output on a lab router, whatever its exit status (birdc fails on "Network not found"). */
function birdc(node: string, ...cmd: string[]): string {
  const r = spawnSync('bash', [LAB, 'birdc', W, node, ...cmd], { encoding: 'utf8', timeout: 30_000 });
  return `${r.stdout}${r.stderr}`;
}

/** `bgpcap verify ARGS` inside the client's namespace (live capture on its taps). */
function verifyLive(args: string[]): Proc {
  return inNs(CLIENT_NS, process.execPath, [cli, 'verify', '--live', '--peering', CL, ...args]);
}

/** `bgpcap verify ARGS FILES` on capture files (no namespace needed). */
function verifyFiles(args: string[], dir: string): { status: number | null; stdout: string; stderr: string } {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.pcap'))
    .map((f) => join(dir, f));
  const r = spawnSync(process.execPath, [cli, 'verify', ...args, ...files], { encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function capturing(p: Proc): Promise<void> {
  await p.until('capture on tap5 and tap1', (_, e) => e.includes('listening on tap5') && e.includes('listening on tap1'));
  // The lab's keepalives (every 3 s) put packets in the files before the change: the files alone show that the
  // capture covers it, as the live run knows.
  await sleep(3500);
}

function verdicts(stdout: string): Rec[] {
  const vs = jsonLines(stdout);
  for (const v of vs) expect(validate(v), ajv.errorsText(validate.errors)).toBe(true);
  return vs;
}

function row(vs: Rec[], mux: string, prefix: string): Rec {
  const v = vs.find((x) => x['mux'] === mux && x['prefix'] === prefix);
  expect(v, `verdict for ${mux} ${prefix}`).toBeDefined();
  return v!;
}

function failing(v: Rec): Check[] {
  return (v['checks'] as Check[]).filter((c) => c.status === 'fail');
}

/** What must be the same from a live run and from its files: everything but where the bytes were read from. */
function comparable(vs: Rec[]): unknown[] {
  return vs.map((v) => {
    const seen = v['seen'] === null ? null : { ...(v['seen'] as Rec), file: null, frame: null };
    const checks = (v['checks'] as Check[]).map((c) => ({ ...c, message: c.message.replace(/(the capture|which) starts \([^)]*\)/, '$1 starts') }));
    return { ...v, seen, checks, capture_start: null, capture_end: null, notes: null };
  });
}

function withdrawAll(): void {
  for (const p of [P1, P2, P3, P4]) lab('withdraw', p);
}

describe.skipIf(skip !== null)(`lab: bgpcap verify with real BIRD over OpenVPN taps${skip === null ? '' : ` (skipped: ${skip})`}`, () => {
  it('prepending, poisoning, communities and large communities on two muxes verify OK, live and from the files written', async () => {
    const dir = mkdtempSync(join(W, 'ok-'));
    const v = verifyLive(['--prefix', P1, '--timeout', '40', '--settle', '3', '--write', dir, '-f', 'jsonl']);
    await capturing(v);
    lab('announce', P1, '-P', '2', '-p', '174', '-o', '61574', '-c', '47065,1001', '-l', '47065,1,2');
    const f = await v.done; // settles by itself once both muxes carry it
    expect(f.code, f.stderr).toBe(0);
    const vs = verdicts(f.stdout);
    expect(vs.map((x) => [x['mux'], x['prefix'], x['intent'], x['status']])).toEqual([
      ['amsterdam01', P1, 'announce', 'ok'],
      ['seattle01', P1, 'announce', 'ok'],
    ]);
    for (const mux of ['amsterdam01', 'seattle01'] as const) {
      const r = row(vs, mux, P1);
      // PEERING.md §3.3/§3.4: -P 2 -p X -o 61574 → filter lines 61574, 61574, X, 61574 → wire 61574 X 61574 61574.
      expect(r['expected']).toMatchObject({ as_path: [61574, 174, 61574, 61574], upstream_path: [47065, 61574, 174, 61574, 61574], poisons: [174] });
      expect(r['seen']).toMatchObject({
        state: 'announced',
        as_path: [61574, 174, 61574, 61574],
        origin: 'IGP',
        local_pref: 100,
        med: null,
        communities: ['47065:1001'],
        large_communities: ['47065:1:2'],
        next_hop: CLIENT_V4[mux],
        session: 'ipv4',
      });
      expect(r['latency']).toBeGreaterThanOrEqual(0);
      expect(r['latency']).toBeLessThan(5);
    }
    // The same verdicts from the files the live run wrote.
    const fromFiles = verifyFiles(['--peering', CL, '--prefix', P1, '-f', 'jsonl'], dir);
    expect(fromFiles.status, fromFiles.stderr).toBe(0);
    expect(comparable(verdicts(fromFiles.stdout))).toEqual(comparable(vs));
    const human = verifyFiles(['--peering', CL, '--prefix', P1], dir);
    expect(human.stdout).toMatch(/^amsterdam01 +tap5 +184\.164\.236\.0\/24 +announce +ok +61574 174 61574 61574/m);
    expect(human.stdout).toMatch(/2 as intended, 0 differ, 0 not checked: all as intended \(exit 0\)/);
  }, 90_000);

  it('deliberate mistakes are each reported precisely, with exit code 1; a withdrawal made is as intended', async () => {
    withdrawAll();
    const dir = mkdtempSync(join(W, 'mistakes-'));
    const cap = live(CLIENT_NS, ['--peering', CL, '--write', dir, '-f', 'none']);
    await capturing(cap);
    const since = (Date.now() / 1000 - 0.05).toFixed(3);
    lab('announce', P1, '-P', '2', '-c', '47065,1002'); // meant 47065,1001
    lab('announce', P2, '-m', 'amsterdam01', '-P', '1'); // meant both muxes
    lab('announce', P3, '-P', '3', '-o', '61574'); // meant -P 2
    lab('announce', P4, '-P', '1'); // meant to withdraw it from seattle01 afterwards, forgot
    await sleep(2500);
    const f = await cap.stop('SIGINT');
    expect(f.code, f.stderr).toBe(0);
    const check = (args: string[]): Rec[] => {
      const r = verifyFiles(['--since', since, '-f', 'jsonl', ...args], dir);
      expect(r.status, r.stderr).toBe(1);
      return verdicts(r.stdout);
    };

    let vs = check(['--prefix', P1, '--prepend', '2', '--community', '47065:1001']);
    expect(failing(row(vs, 'amsterdam01', P1)).map((c) => [c.check, c.expected, c.seen])).toEqual([['communities', ['47065:1001'], ['47065:1002']]]);
    expect(failing(row(vs, 'seattle01', P1))[0]!.message).toBe('expected 47065:1001, seen 47065:1002 (missing 47065:1001; unexpected 47065:1002)');

    vs = check(['--prefix', P2, '--prepend', '1', '--mux', 'amsterdam01', '--mux', 'seattle01']);
    expect(row(vs, 'amsterdam01', P2)['status']).toBe('ok');
    const missing = failing(row(vs, 'seattle01', P2));
    expect(missing.map((c) => c.check)).toEqual(['announced']);
    expect(missing[0]!.message).toMatch(/^expected an announcement of 184\.164\.237\.0\/24, seen no UPDATE for it \(the capture starts/);

    vs = check(['--prefix', P3, '--prepend', '2', '--origin', '61574']);
    for (const mux of ['amsterdam01', 'seattle01']) {
      const c = failing(row(vs, mux, P3));
      expect(c.map((x) => [x.check, x.expected, x.seen])).toEqual([['as_path', [61574, 61574], [61574, 61574, 61574]]]);
      expect(c[0]!.message).toBe('expected 61574 61574, seen 61574 61574 61574 (1 extra prepend of 61574)');
    }

    vs = check(['--prefix', P4, '--prepend', '1', '--mux', 'amsterdam01', '--withdraw', 'seattle01']);
    expect(row(vs, 'amsterdam01', P4)['status']).toBe('ok');
    const forgot = failing(row(vs, 'seattle01', P4));
    expect(forgot.map((c) => c.check)).toEqual(['withdrawn']);
    expect(forgot[0]!.message).toMatch(/^expected withdrawn, seen announced with AS path 47065 at .* — a forgotten withdrawal$/);
    const human = verifyFiles(['--since', since, '--prefix', P4, '--prepend', '1', '--mux', 'amsterdam01', '--withdraw', 'seattle01'], dir);
    expect(human.stdout).toMatch(/^ {2}seattle01 184\.164\.239\.0\/24 withdrawn: expected withdrawn, seen announced/m);

    // The withdrawal made after all (the client's own files as the intent): as intended, withdrawal seen.
    // --reload-out: amsterdam01 was announced to before this capture; BIRD sends it again so it is seen. The
    // settle time is longer than the wait before the withdrawal, so the run does not end on the re-sent state.
    const v = verifyLive(['--prefix', P4, '--timeout', '30', '--settle', '8', '--reload-out', '-f', 'jsonl']);
    await capturing(v);
    lab('withdraw', P4, '-m', 'seattle01');
    const done = await v.done;
    expect(done.code, done.stderr).toBe(0);
    vs = verdicts(done.stdout);
    expect(row(vs, 'seattle01', P4)).toMatchObject({ intent: 'none', status: 'ok', seen: { state: 'withdrawn' } });
    expect(row(vs, 'amsterdam01', P4)).toMatchObject({ intent: 'announce', status: 'ok' });
  }, 120_000);

  it('poisoning: the poisoned upstream drops the route and verify confirms it; with allow local as there, verify reports the leak', async () => {
    withdrawAll();
    const d1 = mkdtempSync(join(W, 'poison-'));
    let v = verifyLive(['--prefix', P2, '--timeout', '40', '--settle', '3', '--write', d1, '-f', 'jsonl']);
    await capturing(v);
    lab('announce', P2, '-m', 'amsterdam01', '-P', '2', '-p', '174', '-o', '61574');
    let f = await v.done;
    expect(f.code, f.stderr).toBe(0);
    let vs = verdicts(f.stdout);
    // AS 174's BIRD dropped it by loop detection (no route), AS 3356's took it: asked independently with birdc.
    expect(birdc('u174', 'show', 'route', P2)).toMatch(/Network not found/);
    expect(birdc('u3356', 'show', 'route', P2)).toContain(P2);
    const back = row(vs, 'seattle01', P2);
    expect(back).toMatchObject({ intent: 'none', status: 'ok' });
    const returned = (back['returned'] as Rec[]).filter((r) => r['state'] === 'announced');
    expect(returned.length).toBeGreaterThan(0);
    for (const r of returned) {
      const path = r['as_path'] as number[];
      const first = path.indexOf(47065);
      expect(first).toBeGreaterThan(0);
      expect(path.slice(0, first)).not.toContain(174);
      expect(path.slice(first)).toEqual([47065, 61574, 174, 61574, 61574]);
      expect(r['leaked_poisons']).toEqual([]);
    }
    expect((back['checks'] as Check[]).find((c) => c.check === 'poisoning')).toMatchObject({ status: 'ok' });
    const files1 = verifyFiles(['--peering', CL, '--prefix', P2, '-f', 'jsonl'], d1);
    expect(files1.status, files1.stderr).toBe(0);
    expect(comparable(verdicts(files1.stdout))).toEqual(comparable(vs));

    // AS 174 now ignores loops (BIRD `allow local as`): the route goes through it and back to seattle01.
    const conf = join(W, 'u174/bird.conf');
    const orig = readFileSync(conf, 'utf8');
    try {
      writeFileSync(conf, orig.replace(/local as 174;/g, 'local as 174; allow local as;'));
      const d2 = mkdtempSync(join(W, 'leak-'));
      v = verifyLive(['--prefix', P2, '--timeout', '15', '--settle', '3', '--write', d2, '-f', 'jsonl']);
      await capturing(v);
      lab('birdc', 'u174', 'configure');
      f = await v.done;
      expect(f.code, f.stderr).toBe(1);
      vs = verdicts(f.stdout);
      // Announced before this capture began (and not re-sent): not checkable from it.
      expect(row(vs, 'amsterdam01', P2)['status']).toBe('unknown');
      const leak = row(vs, 'seattle01', P2);
      const c = failing(leak);
      // Every leaking path is reported: 174 left of 47065, and right of it what amsterdam01's upstreams were sent
      // (47065 61574 174 61574 61574). Which paths show up depends on the order the sessions come back up (the
      // route reaches seattle01 from 174 directly, or through 2914), so each is checked by that rule.
      expect(c.length).toBeGreaterThan(0);
      expect(new Set(c.map((x) => x.check))).toEqual(new Set(['poisoning']));
      for (const x of c) {
        const path = x.seen as number[];
        const at = path.indexOf(47065);
        expect(path.slice(0, at)).toContain(174);
        expect(path.slice(at)).toEqual([47065, 61574, 174, 61574, 61574]);
        expect(x.message).toMatch(/^AS174 carried 184\.164\.237\.0\/24 back to seattle01 via upstream AS(174|2914) \(first AS of the path; the next hop is the mux's own\), next hop 100\.65\.128\.1: path [0-9 ]+ at \S+ — poisoning leak$/);
      }
      for (const r of (leak['returned'] as Rec[]).filter((x) => (x['leaked_poisons'] as number[]).length > 0)) {
        expect(r).toMatchObject({ leaked_poisons: [174], next_hop: '100.65.128.1', upstream_asn: (r['as_path'] as number[])[0] });
      }
      const files2 = verifyFiles(['--peering', CL, '--prefix', P2, '-f', 'jsonl'], d2);
      expect(files2.status, files2.stderr).toBe(1);
      expect(comparable(verdicts(files2.stdout))).toEqual(comparable(vs));
    } finally {
      writeFileSync(conf, orig);
      lab('birdc', 'u174', 'configure');
    }
  }, 120_000);
});
