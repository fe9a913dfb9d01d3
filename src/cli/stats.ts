// The --stats summary printed on stderr at the end of a run.
import type { RunStats } from '../pipeline.js';

const ORDER = ['OPEN', 'UPDATE', 'NOTIFICATION', 'KEEPALIVE', 'ROUTE-REFRESH'];

export function formatStats(s: RunStats, filter?: string): string {
  const types = [...s.byType.entries()].sort(
    (a, b) => rank(a[0]) - rank(b[0]) || a[0].localeCompare(b[0]),
  );
  const lines = [
    `frames:         ${s.frames} (${s.bgpSegments} BGP segments)`,
    `sessions:       ${s.sessions}`,
    `messages:       ${s.messages}${types.length ? ` (${types.map(([k, v]) => `${k} ${v}`).join(', ')})` : ''}`,
    `errors:         ${s.errors} malformed messages, ${s.warnings} with warnings`,
    `gaps:           ${s.gaps} (${s.bytesSkipped} bytes skipped)`,
  ];
  const ev = [...s.events.entries()].filter(([k]) => k !== 'gap');
  if (ev.length) lines.push(`events:         ${ev.map(([k, v]) => `${k} ${v}`).join(', ')}`);
  if (filter !== undefined && (s.stage1On || s.stage2On)) lines.push(`filter:         ${filter}`);
  if (s.stage1On) lines.push(`stage 1:        ${s.stage1Rejected} of ${s.frames} packets rejected (not reassembled or decoded)`);
  if (s.stage2On) {
    lines.push(
      `stage 2:        ${s.stage2Rejected} records rejected, ${s.stage2Undecoded} of them before decoding` +
        (s.elemsRejected > 0 ? `; ${s.elemsRejected} prefixes dropped from written UPDATEs` : ''),
    );
  }
  return `${lines.join('\n')}\n`;
}

function rank(t: string): number {
  const i = ORDER.indexOf(t);
  return i < 0 ? ORDER.length : i;
}
