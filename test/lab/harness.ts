// The lab (lab.sh) as the lab test files use it: a work directory and namespace prefix of their own, the lab
// built before the file's tests and torn down after them (only when it could be built: `skip` says why not).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { netnsSkipReason, root } from '../live/harness.js';

export const LAB = join(root, 'test/lab/lab.sh');

export interface Lab {
  /** Why the lab cannot run here (missing tools, not root), or null. */
  skip: string | null;
  /** The lab's work directory (lab.sh W). */
  W: string;
  /** Prefix of the lab's namespaces. */
  PREFIX: string;
  /** The PEERING client's directory. */
  CL: string;
  /** The client's namespace. */
  CLIENT_NS: string;
  /** `lab.sh CMD W ARGS...`; its stdout, or throws with its stderr. */
  lab(...args: string[]): string;
}

/** A lab named `name` (work directory bgpcap-NAME-*, namespaces bgpcap-NAME-PID-*) needing `tools`. */
export function useLab(name: string, tools: readonly string[]): Lab {
  const skip = netnsSkipReason([...tools]);
  const W = mkdtempSync(join(tmpdir(), `bgpcap-${name}-`));
  const PREFIX = `bgpcap-${name}-${process.pid}`;
  const lab = (...args: string[]): string => {
    const r = spawnSync('bash', [LAB, args[0]!, W, ...args.slice(1)], { encoding: 'utf8', timeout: 55_000 });
    if (r.status !== 0) throw new Error(`lab.sh ${args.join(' ')}: ${r.stderr || r.error?.message}`);
    return r.stdout;
  };
  beforeAll(() => {
    if (skip !== null) return;
    lab('up', PREFIX);
    lab('wait', '40');
  }, 90_000);
  afterAll(() => {
    if (skip === null) spawnSync('bash', [LAB, 'down', W], { stdio: 'ignore', timeout: 30_000 });
    rmSync(W, { recursive: true, force: true });
  }, 60_000);
  return { skip, W, PREFIX, CL: join(W, 'client'), CLIENT_NS: `${PREFIX}-client`, lab };
}
