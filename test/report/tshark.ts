// What tshark (an independent BGP decoder) says about a capture, in the shapes the report tests compare with.
import { spawnSync } from 'node:child_process';

export const haveTshark = spawnSync('tshark', ['-v'], { stdio: 'ignore' }).status === 0;

/** `tshark -T fields` rows: one array of fields per frame; a field with several occurrences is comma-joined. */
export function tsharkFields(file: string, filter: string, fields: string[]): string[][] {
  const args = ['-n', '-r', file, '-Y', filter, '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=,', '-E', 'separator=\t'];
  for (const f of fields) args.push('-e', f);
  const r = spawnSync('tshark', args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`tshark failed: ${r.stderr}`);
  return r.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t'));
}

const list = (s: string | undefined): string[] => (s === undefined || s === '' ? [] : s.split(','));

export interface UpdateFrame {
  frame: number;
  stream: number;
  time: number;
  src: string;
  dst: string;
  /** Announced prefixes (addresses without length, as tshark shows NLRI fields). */
  announced: string[];
  withdrawn: string[];
}

/** Every frame carrying an UPDATE, with the prefixes its UPDATEs announce and withdraw. */
export function updateFrames(file: string): UpdateFrame[] {
  const rows = tsharkFields(file, 'bgp.type == 2', [
    'frame.number',
    'tcp.stream',
    'frame.time_epoch',
    'ip.src',
    'ipv6.src',
    'ip.dst',
    'ipv6.dst',
    'bgp.nlri_prefix',
    'bgp.mp_reach_nlri_ipv4_prefix',
    'bgp.mp_reach_nlri_ipv6_prefix',
    'bgp.withdrawn_prefix',
    'bgp.mp_unreach_nlri_ipv4_prefix',
    'bgp.mp_unreach_nlri_ipv6_prefix',
  ]);
  return rows.map((r) => ({
    frame: Number(r[0]),
    stream: Number(r[1]),
    time: Number(r[2]),
    src: r[3] || r[4]!,
    dst: r[5] || r[6]!,
    announced: [...list(r[7]), ...list(r[8]), ...list(r[9])],
    withdrawn: [...list(r[10]), ...list(r[11]), ...list(r[12])],
  }));
}

/** TCP connections carrying BGP: stream number → its two addresses (sorted). */
export function bgpStreams(file: string): Map<number, [string, string]> {
  const out = new Map<number, [string, string]>();
  for (const r of tsharkFields(file, 'bgp', ['tcp.stream', 'ip.src', 'ipv6.src', 'ip.dst', 'ipv6.dst'])) {
    const a = r[1] || r[2]!;
    const b = r[3] || r[4]!;
    out.set(Number(r[0]), a < b ? [a, b] : [b, a]);
  }
  return out;
}
