// Observed state from a live capture: `bgpcap live … -f jsonl` runs as a child process (it owns the privileged
// capture, dropping privileges for decoding, and the --write files), and its records stream into the Observer as
// they are decoded. The run ends at --timeout, or earlier once `settled()` says the verdicts are final (every check
// as intended and nothing new for the settle time), or on SIGINT/SIGTERM.
//
// --reload-out: once a tunnel is being captured, the client's BIRD is asked over its control sockets (var/bird.ctl,
// var/bird6.ctl) to send everything it exports to that mux again (`reload out <mux>`), so a capture started after
// the announcement still sees it. --reload-in: BIRD asks the mux for its routes again (`reload in <mux>`, a
// ROUTE-REFRESH, RFC 2918), so routes that came back before the capture are seen too — the whole table the mux
// has, which on a real PEERING mux is a full table per upstream.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { unixChat } from '../peering/unix-chat.js';
import { seenFromJson, type Observer } from './observed.js';

export interface LiveObserveOptions {
  /** PEERING client checkout: tunnels to capture, sockets for --reload-out. */
  peering: string | null;
  /** Muxes to capture (with peering); empty: every tunnel that is up. */
  muxes: readonly string[];
  interfaces: readonly string[];
  ports: readonly number[];
  timeoutMs: number;
  /** Check settled() every this often. */
  pollMs: number;
  write: string | null;
  reloadOut: boolean;
  reloadIn: boolean;
  /** True when the verdicts would not change any more: the run may stop. */
  settled: () => boolean;
  log: (line: string) => void;
  /** The bgpcap entry point to run (default: dist/cli.js next to this file). */
  cli?: string;
  /** Extra arguments for `bgpcap live` (tests: --no-drop-privileges). */
  extraArgs?: readonly string[];
}

export interface LiveObserveResult {
  /** Why the capture ended: 'settled', 'timeout', 'signal', or 'capture ended'. */
  reason: string;
  /** Exit status of `bgpcap live` (0 normally; 2: live capture is impossible here; 1: an interface is missing). */
  captureExit: number | null;
  /** Muxes BIRD re-sent its exports to while they were captured. */
  resent: Set<string>;
  /** Muxes asked to send their routes again while they were captured. */
  refreshed: Set<string>;
  /** When the capture started, epoch seconds. */
  start: number;
}

const LISTEN_RE = /(?:listening on|capturing again on) (\S+?)(?: \(mux ([^)]+)\))?(?:,|$)/;

function defaultCli(): string {
  return fileURLToPath(new URL('../cli.js', import.meta.url));
}

/** `reload out|in <mux>` on a BIRD control socket; the reply's last line, or the error. */
async function reload(sock: string, dir: 'out' | 'in', mux: string): Promise<{ ok: boolean; text: string }> {
  try {
    const lines = await unixChat(sock, {
      greeted: (g) => g.some((l) => l.startsWith('0001')),
      command: `reload ${dir} ${mux}\n`,
      done: (r) => r.length > 0 && /^[0-9]{4}( |$)/.test(r[r.length - 1]!),
      timeoutMs: 2000,
    });
    const last = lines[lines.length - 1] ?? '';
    return { ok: !/^[89][0-9]{3}/.test(last), text: last.slice(5) };
  } catch (e) {
    return { ok: false, text: (e as Error).message };
  }
}

export async function observeLive(obs: Observer, o: LiveObserveOptions): Promise<LiveObserveResult> {
  const args = [o.cli ?? defaultCli(), 'live', '-f', 'jsonl', '--duration', `${Math.ceil(o.timeoutMs / 1000) + 5}`];
  if (o.peering !== null) args.push('--peering', o.peering);
  for (const m of o.muxes) args.push('--mux', m);
  for (const i of o.interfaces) args.push('-i', i);
  for (const p of o.ports) if (p !== 179) args.push('-p', String(p));
  if (o.write !== null) args.push('--write', o.write);
  args.push(...(o.extraArgs ?? []));
  const start = Date.now() / 1000;
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const resent = new Set<string>();
  const refreshed = new Set<string>();
  const reloads: Promise<void>[] = [];

  const onListen = (iface: string, mux: string | null): void => {
    if (mux !== null) obs.expect(mux, iface, Date.now() / 1000);
    if ((!o.reloadOut && !o.reloadIn) || o.peering === null || mux === null) return;
    const dir = o.peering;
    reloads.push(
      (async () => {
        for (const name of ['bird.ctl', 'bird6.ctl']) {
          const sock = join(dir, 'var', name);
          if (!existsSync(sock)) continue;
          for (const [want, how, done] of [[o.reloadOut, 'out', resent], [o.reloadIn, 'in', refreshed]] as const) {
            if (!want) continue;
            const r = await reload(sock, how, mux);
            if (r.ok) done.add(mux);
            else if (!/no such protocol/i.test(r.text)) o.log(`var/${name}: reload ${how} ${mux}: ${r.text}`);
          }
        }
      })(),
    );
  };

  const out = createInterface({ input: child.stdout! });
  out.on('line', (line) => {
    if (line === '') return;
    let rec: Record<string, unknown>;
    try {
      rec = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return;
    }
    if (typeof rec['event'] === 'string') {
      obs.event({
        iface: typeof rec['iface'] === 'string' ? rec['iface'] : null,
        mux: typeof rec['mux'] === 'string' ? rec['mux'] : null,
        event: rec['event'],
        peer_ip: null,
        local_ip: null,
      });
      return;
    }
    const m = seenFromJson(rec);
    if (m !== null) obs.message(m);
  });
  const err = createInterface({ input: child.stderr! });
  err.on('line', (line) => {
    const m = LISTEN_RE.exec(line);
    if (m !== null) onListen(m[1]!, m[2] ?? null);
    // The capture's own statistics table comes at the end; pass on its news lines as they are.
    o.log(line.replace(/^bgpcap: /, 'live: '));
  });

  const closed = new Promise<number | null>((resolve) => {
    child.on('close', (code) => resolve(code));
    child.on('error', (e) => {
      o.log(`cannot start the live capture: ${e.message}`);
      resolve(null);
    });
  });
  const outDone = new Promise<void>((resolve) => out.on('close', () => resolve()));

  let reason = 'capture ended';
  let stopping = false;
  const stop = (why: string): void => {
    if (stopping) return;
    stopping = true;
    reason = why;
    // Only the child this call started, by its pid: it ends its capture, flushes, and exits.
    if (child.exitCode === null && child.pid !== undefined) child.kill('SIGTERM');
  };
  const timer = setTimeout(() => stop('timeout'), o.timeoutMs);
  const poll = setInterval(() => {
    if (o.settled()) stop('settled');
  }, o.pollMs);
  const onSignal = (): void => stop('signal');
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const code = await closed;
  await outDone;
  clearTimeout(timer);
  clearInterval(poll);
  process.removeListener('SIGINT', onSignal);
  process.removeListener('SIGTERM', onSignal);
  await Promise.all(reloads);
  obs.finish();
  return { reason, captureExit: code, resent, refreshed, start };
}
