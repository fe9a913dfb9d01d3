// Helpers for tests that capture live: network namespaces the test creates (and only those are removed), and
// `bgpcap live` as a child process whose output can be awaited line by line.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const cli = join(root, 'dist/cli.js');

function have(cmd: string, args: string[] = ['--version']): boolean {
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  return r.error === undefined;
}

/** Why tests that need root and network namespaces cannot run here, or null when they can. */
export function netnsSkipReason(tools: string[] = []): string | null {
  if (process.getuid?.() !== 0) return 'needs root (network namespaces and packet capture)';
  if (!have('ip', ['-V'])) return 'needs iproute2 (ip)';
  for (const t of tools) if (!have(t, t === 'bird' || t === 'birdc' ? ['--version'] : ['--version'])) return `needs ${t}`;
  // The native capture library must have built.
  try {
    const r = spawnSync(process.execPath, ['-e', "require('pcap')"], { cwd: root, stdio: 'ignore' });
    if (r.status !== 0) return 'needs the native npm package pcap (apt-get install libpcap-dev && npm rebuild pcap)';
  } catch {
    return 'needs the native npm package pcap';
  }
  const probe = `bgpcap-probe-${process.pid}`;
  const add = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8' });
  if (add.status !== 0) return `cannot create network namespaces: ${add.stderr.trim()}`;
  spawnSync('ip', ['netns', 'del', probe]);
  return null;
}

export function sh(cmd: string, args: string[], opts: { allowFail?: boolean } = {}): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0 && opts.allowFail !== true) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr || r.error?.message}`);
  return r.stdout;
}

/** Namespaces created by this test file, deleted (with every process inside) by cleanup(). */
export class Namespaces {
  readonly created: string[] = [];
  constructor(readonly prefix: string) {}

  name(n: string): string {
    return `${this.prefix}-${n}`;
  }

  add(n: string): string {
    const full = this.name(n);
    this.created.push(full);
    sh('ip', ['netns', 'add', full]);
    sh('ip', ['-n', full, 'link', 'set', 'lo', 'up']);
    return full;
  }

  ip(n: string, ...args: string[]): string {
    return sh('ip', ['-n', this.name(n), ...args]);
  }

  cleanup(): void {
    for (const n of this.created.reverse()) {
      const pids = sh('ip', ['netns', 'pids', n], { allowFail: true }).split('\n').filter((p) => /^[0-9]+$/.test(p));
      for (const p of pids) {
        try {
          process.kill(Number(p), 'SIGKILL');
        } catch {
          // gone already
        }
      }
      sh('ip', ['netns', 'del', n], { allowFail: true });
    }
    this.created.length = 0;
  }
}

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A running process whose output can be waited for. */
export class Proc {
  stdout = '';
  stderr = '';
  readonly done: Promise<Finished>;
  private waiters: (() => void)[] = [];

  constructor(readonly child: ChildProcess) {
    child.stdout?.setEncoding('utf8');
    child.stderr?.setEncoding('utf8');
    child.stdout?.on('data', (d: string) => {
      this.stdout += d;
      this.wake();
    });
    child.stderr?.on('data', (d: string) => {
      this.stderr += d;
      this.wake();
    });
    this.done = new Promise((resolve) => {
      child.on('close', (code, signal) => {
        this.wake();
        resolve({ code, signal, stdout: this.stdout, stderr: this.stderr });
      });
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Resolves when `test` is true of (stdout, stderr); rejects after timeoutMs or when the process ends first. */
  async until(what: string, test: (out: string, err: string) => boolean, timeoutMs = 15_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    let exited = false;
    void this.done.then(() => {
      exited = true;
    });
    while (!test(this.stdout, this.stderr)) {
      if (exited) throw new Error(`process ended before ${what}\nstderr: ${this.stderr}`);
      const left = end - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}\nstderr: ${this.stderr.slice(-2000)}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  async stop(signal: NodeJS.Signals = 'SIGINT', timeoutMs = 20_000): Promise<Finished> {
    this.child.kill(signal);
    const t = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    const f = await this.done;
    clearTimeout(t);
    return f;
  }
}

/** Run a command inside a namespace. */
export function inNs(ns: string, cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Proc {
  return new Proc(spawn('ip', ['netns', 'exec', ns, cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env }));
}

/** `bgpcap live ARGS` inside a namespace. */
export function live(ns: string, args: string[]): Proc {
  return inNs(ns, process.execPath, [cli, 'live', ...args]);
}

/** The decoder process of a running `bgpcap live` (its only child). */
export function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter((x) => x !== '')
      .map(Number);
  } catch {
    return [];
  }
}

/** Real, effective, saved and filesystem uid of a process, from /proc/PID/status (proc(5)). */
export function uids(pid: number): number[] {
  const m = /^Uid:\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m === null ? [] : m.slice(1, 5).map(Number);
}

/** uid of a user in /etc/passwd, read here independently of bgpcap's own lookup. */
export function passwdUid(user: string): number | null {
  for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
    const f = line.split(':');
    if (f[0] === user) return Number(f[2]);
  }
  return null;
}

export function jsonLines(s: string): Record<string, unknown>[] {
  return s
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Run bgpcap with ARGS, close its stdout as soon as the first output arrives (as `| head -1` does), and wait
 * for it to exit: its stderr and exit status.
 */
export async function closeEarly(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ stderr: string; status: number | null }> {
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  child.stdout.destroy();
  const status = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  return { stderr, status };
}
