// A short conversation over a Unix socket with a line-based control protocol (OpenVPN management, BIRD CLI):
// connect, wait for the greeting, send one command, collect lines until the reply ends, hang up. Bounded in
// time and in bytes, so a wedged daemon or a socket of the wrong kind costs at most `timeoutMs`.

import { createConnection } from 'node:net';

export interface ChatSpec {
  /** True once the greeting is complete (the command is sent after it). */
  greeted(lines: readonly string[]): boolean;
  command: string;
  /** True once the reply is complete (lines after the greeting). */
  done(lines: readonly string[]): boolean;
  /** Sent before hanging up, e.g. `quit\n`. */
  bye?: string;
  timeoutMs: number;
}

/** Most bytes read from a control socket before giving up (a `show protocols` of 100 muxes is ~10 KB). */
const MAX_BYTES = 4 * 1024 * 1024;

/** The reply's lines (without the greeting); rejects with the socket error, a timeout or an oversized reply. */
export function unixChat(path: string, spec: ChatSpec): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const sock = createConnection({ path });
    let buf = '';
    let bytes = 0;
    const greeting: string[] = [];
    const reply: string[] = [];
    let phase: 'greet' | 'reply' | 'done' = 'greet';
    const finish = (err: Error | null): void => {
      if (phase === 'done') return;
      phase = 'done';
      clearTimeout(timer);
      if (err === null && spec.bye !== undefined) sock.end(spec.bye);
      else sock.end();
      sock.destroySoon?.();
      setTimeout(() => sock.destroy(), 50).unref();
      if (err === null) resolve(reply);
      else reject(err);
    };
    const timer = setTimeout(() => finish(new Error(`no complete answer within ${spec.timeoutMs} ms`)), spec.timeoutMs);
    sock.setEncoding('utf8');
    sock.on('error', (e) => finish(e));
    sock.on('close', () => finish(new Error('the daemon closed the connection')));
    sock.on('data', (chunk: string) => {
      bytes += chunk.length;
      if (bytes > MAX_BYTES) {
        finish(new Error('answer too long'));
        return;
      }
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0 && phase !== 'done') {
        const line = buf.slice(0, nl).replace(/\r$/, '');
        buf = buf.slice(nl + 1);
        if (phase === 'greet') {
          greeting.push(line);
          if (spec.greeted(greeting)) {
            phase = 'reply';
            sock.write(spec.command);
          }
        } else {
          reply.push(line);
          if (spec.done(reply)) finish(null);
        }
      }
    });
  });
}
