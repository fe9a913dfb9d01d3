// `bgpcap verify` as a user runs it (node dist/cli.js): exit codes 0/1/2, usage errors on one line, jsonl verdicts
// valid against schema/verdict.schema.json, and what a verdict says was seen cross-checked with tshark (an
// independent decoder) on the same synthetic capture.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, describe, expect, it } from 'vitest';
import { T0, TapCapture, pfx } from './synth-tap.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'dist/cli.js');
const tmp = mkdtempSync(join(tmpdir(), 'bgpcap-verify-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const ajv = new Ajv2020({ allErrors: true, strictTypes: true, allowUnionTypes: true });
const validate = ajv.compile(JSON.parse(readFileSync(join(root, 'schema/verdict.schema.json'), 'utf8')) as object);

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, 'verify', ...args], { encoding: 'utf8', env: { ...process.env, CI: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const P = '184.164.236.0/24';
const WIRE = [61574, 3356, 61574, 61574];
const INTENT = ['--prefix', P, '--mux', 'amsterdam01', '--prepend', '2', '--poison', '3356', '--origin', '61574', '--community', '47065:1001', '--large-community', '47065:1:2'];

function tap(mux: string, n: number, communities: [number, number][]): string {
  const c = new TapCapture(mux, n);
  c.session(4)
    .connect(T0)
    .opens(T0 + 0.01)
    .toMux(T0 + 10, { nlri: [pfx(P)], nextHop: c.clientV4.split('.').map(Number), asPath: WIRE, communities, largeCommunities: [[47065, 1, 2]] });
  return c.write(tmp);
}

const good = tap('amsterdam01', 5, [[47065, 1001]]);

describe('exit status', () => {
  it('0: as intended (human table)', () => {
    const r = run([...INTENT, good]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^amsterdam01 +tap5 +184\.164\.236\.0\/24 +announce +ok +61574 3356 61574 61574/m);
    expect(r.stdout).toMatch(/1 as intended, 0 differ, 0 not checked: all as intended \(exit 0\)\n$/);
  });

  it('1: something differs; -f jsonl gives one valid verdict per mux and prefix', () => {
    const bad = tap('isi01', 2, [[47065, 1002]]);
    const r = run([...INTENT, '--mux', 'isi01', '-f', 'jsonl', good, bad]);
    expect(r.status).toBe(1);
    const vs = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(vs.map((v) => [v['mux'], v['status']])).toEqual([
      ['amsterdam01', 'ok'],
      ['isi01', 'fail'],
    ]);
    for (const v of vs) expect(validate(v), ajv.errorsText(validate.errors)).toBe(true);
  });

  it('2: a target mux was not captured', () => {
    const r = run([...INTENT, '--mux', 'isi01', good]);
    expect(r.status).toBe(2);
    expect(r.stdout).toMatch(/isi01 184\.164\.236\.0\/24 capture \(not checked\): no capture of isi01/);
  });

  it('2: a capture file that cannot be read', () => {
    const r = run([...INTENT, join(tmp, 'amsterdam01.tap5.0001.pcap')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/amsterdam01\.tap5\.0001\.pcap: no such file/);
  });

  it('the intent from an announcement JSON', () => {
    const ann = join(tmp, 'ann.json');
    writeFileSync(ann, JSON.stringify({ [P]: { announce: [{ muxes: ['amsterdam01'], communities: [[47065, 1001], [47065, 1, 2]], prepend: [61574, 3356, 61574], origin: 61574 }] } }));
    const r = run(['--announcement', ann, good]);
    expect(r.status, r.stdout).toBe(0);
  });
});

describe('usage errors: one line, exit 2', () => {
  it.each([
    [[good], /give the intended state/],
    [['--prefix', P], /give the capture files to check/],
    [['--prefix', P, '--live', good], /give capture files or --live, not both/],
    [['--prefix', P, '--live', '--reload-out'], /--reload-out needs --peering DIR/],
    [['--prefix', P, '--write', tmp, good], /--write needs --live/],
    [['--prefix', '184.164.236.1/24', good], /bits set past \/24/],
    [['--prefix', P, '--community', '47065:70000', good], /--community 47065:70000: expected A:B \(16-bit numbers\)/],
    [['--prefix', P, '--mux', 'a', '--withdraw', 'a', good], /--withdraw a: also named with --mux/],
    [['--announcement', join(tmp, 'nope.json'), good], /nope\.json: no such file/],
    [['--peering', join(tmp, 'nodir'), good], /--peering: .*not a PEERING client directory/],
  ])('%j', (args, msg) => {
    const r = run(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(msg);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });
});

const tsharkOk = spawnSync('tshark', ['--version'], { stdio: 'ignore' }).error === undefined;

describe.skipIf(!tsharkOk)(`what was seen, against tshark${tsharkOk ? '' : ' (skipped: no tshark)'}`, () => {
  it('AS path, communities, next hop and LOCAL_PREF of the UPDATE the verdict judged', () => {
    const r = spawnSync(
      'tshark',
      [
        '-n',
        '-r',
        good,
        '-Y',
        'bgp.type == 2',
        '-T',
        'fields',
        '-E',
        'separator=|',
        '-e',
        'bgp.update.path_attribute.as_path_segment.as4',
        '-e',
        'bgp.update.path_attribute.community_as',
        '-e',
        'bgp.update.path_attribute.community_value',
        '-e',
        'bgp.update.path_attribute.next_hop',
        '-e',
        'bgp.update.path_attribute.local_pref',
        '-e',
        'bgp.nlri_prefix',
      ],
      { encoding: 'utf8' },
    );
    expect(r.status, r.stderr).toBe(0);
    const [path, cAs, cVal, nh, lp, nlri] = r.stdout.trim().split('|');
    const v = JSON.parse(run([...INTENT, '-f', 'jsonl', good]).stdout.trim()) as { seen: Record<string, unknown> };
    expect(v.seen['as_path']).toEqual(path!.split(',').map(Number));
    expect(v.seen['communities']).toEqual([`${cAs}:${cVal}`]);
    expect(v.seen['next_hop']).toBe(nh);
    expect(v.seen['local_pref']).toBe(Number(lp));
    expect(`${nlri}/24`).toBe(P);
  });
});

const canDropRoot = process.getuid?.() === 0 && spawnSync('runuser', ['--help'], { stdio: 'ignore' }).error === undefined;

describe.skipIf(!canDropRoot)(`--live without the right to capture${canDropRoot ? '' : ' (skipped: needs root and runuser to run as nobody)'}`, () => {
  it('says why on stderr and exits 2 (could not check)', () => {
    const r = spawnSync('runuser', ['-u', 'nobody', '--', process.execPath, cli, 'verify', '--live', '-i', 'lo', '--prefix', P, '--timeout', '3'], { encoding: 'utf8', cwd: tmpdir() });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/live capture needs root/);
    expect(r.stderr).toMatch(/the live capture could not run \(exit status 2\)/);
    expect(r.stdout).toBe('');
  });
});
