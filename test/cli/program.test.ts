// The command line as a whole: which commands exist, help, and help into a pipe closed early.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'dist/cli.js');

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Run with stdout a pipe whose reading end is closed before bgpcap writes anything (`| head` gone early). */
async function intoClosedPipe(args: string[]): Promise<{ status: number | null; stderr: string }> {
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const status = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  return { status, stderr };
}

const COMMANDS = ['read', 'live', 'peering', 'consume', 'verify', 'report'];

describe('commands (each loaded only when it runs)', () => {
  it('--help lists every command', () => {
    const r = run(['--help']);
    expect(r.status).toBe(0);
    for (const c of COMMANDS) expect(r.stdout).toMatch(new RegExp(`^  ${c} `, 'm'));
  });

  it('each command has its own --help, directly and through `help`', () => {
    for (const c of COMMANDS) {
      for (const args of [[c, '--help'], ['help', c]]) {
        const r = run(args);
        expect(r.status, args.join(' ')).toBe(0);
        expect(r.stdout).toContain(`Usage: bgpcap ${c} `);
      }
    }
  });

  it('an unknown command is a one-line usage error naming the nearest one', () => {
    const r = run(['rad', 'x.pcap']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("bgpcap: unknown command 'rad' (Did you mean read?) (see --help)\n");
  });

  it('a command name as an option value does not pick the command (only the first argument does)', () => {
    const r = run(['--version', 'read']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('help into a pipe closed early', () => {
  for (const args of [['--help'], ['read', '--help'], ['help', 'verify'], ['--version']]) {
    it(`bgpcap ${args.join(' ')}: quiet, status 0`, async () => {
      const r = await intoClosedPipe(args);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    });
  }
});
