// BIRD's control socket (var/bird.ctl, var/bird6.ctl in a client checkout): the text protocol birdc speaks.
//
// BIRD doc/prog (CLI protocol): every reply line starts with a 4-digit code and `-` when more lines of the reply
// follow, or a space on the last line; a line starting with a space continues the previous code. 0001 is the
// greeting, 0000 "OK", 1002 protocol lines, 2002 the table heading, 8xxx/9xxx errors.

import { unixChat } from './unix-chat.js';

/** BGP session states as BIRD names them in the Info column (RFC 4271 §8.2.2 plus BIRD's Close/Down). */
const BGP_STATES = new Set(['Idle', 'Connect', 'Active', 'OpenSent', 'OpenConfirm', 'Established', 'Close', 'Down']);

export interface BirdProtocol {
  name: string;
  proto: string;
  /** BIRD's protocol state: up, down, start, stop. */
  state: string;
  /** BGP state from the Info column (Established, Active, …), null when not shown. */
  bgpState: string | null;
  /** The Info column as printed. */
  info: string;
}

function isEnd(line: string): boolean {
  return /^[0-9]{4} /.test(line) || /^[0-9]{4}$/.test(line);
}

/** Protocol rows of a `show protocols` reply. */
export function parseShowProtocols(lines: readonly string[]): Map<string, BirdProtocol> {
  const out = new Map<string, BirdProtocol>();
  let code = '';
  for (const raw of lines) {
    let text: string;
    if (/^[0-9]{4}[- ]/.test(raw) || /^[0-9]{4}$/.test(raw)) {
      code = raw.slice(0, 4);
      text = raw.slice(5);
    } else if (raw.startsWith(' ')) {
      text = raw.slice(1);
    } else {
      continue;
    }
    if (code !== '1002') continue;
    const f = text.trim().split(/\s+/);
    if (f.length < 4) continue;
    const bgp = f.slice(4).find((w) => BGP_STATES.has(w)) ?? null;
    // Info is what follows Since (one or two words: a time, or a date and a time).
    const sinceWords = f[5] !== undefined && /^[0-9]/.test(f[5]) ? 2 : 1;
    out.set(f[0]!, { name: f[0]!, proto: f[1]!, state: f[3]!, bgpState: bgp, info: f.slice(4 + sinceWords).join(' ') });
  }
  return out;
}

export async function birdShowProtocols(sockPath: string, timeoutMs = 1000): Promise<Map<string, BirdProtocol>> {
  const lines = await unixChat(sockPath, {
    greeted: (g) => g.some((l) => l.startsWith('0001')),
    command: 'show protocols\n',
    done: (r) => r.length > 0 && isEnd(r[r.length - 1]!),
    timeoutMs,
  });
  const last = lines[lines.length - 1] ?? '';
  if (/^[89][0-9]{3}/.test(last)) throw new Error(`BIRD: ${last.slice(5)}`);
  return parseShowProtocols(lines);
}
