// `bgpcap peering status --peering DIR`: one row per mux of a PEERING client checkout — tap, tunnel up or down,
// the tap's addresses, the mux's BGP neighbour addresses, BIRD's session state, and with --listen the BGP
// messages seen on each tunnel during that many seconds (a live capture; needs root like `bgpcap live`).
import { Command } from 'commander';
import { EXIT_INPUT, EXIT_OK, EXIT_USAGE, UsageError } from '../errors.js';
import { PeeringDirError } from '../peering/client-dir.js';
import { peeringStatus, type MuxStatus, type PeeringStatus } from '../peering/status.js';
import { BackendUnavailable } from '../source/live-backend.js';
import { LiveInputError, LiveUnavailable, runLive, type LiveResult } from '../source/live.js';
import type { DecoderIfaceCounts } from '../source/live-decoder.js';
import { lookupUser } from '../source/privileges.js';
import { parseDuration, DEFAULT_SNAPLEN } from './live.js';

interface StatusOpts {
  peering?: string;
  json: boolean;
  listen?: number;
  sockets: boolean;
  user: string;
  dropPrivileges: boolean;
}

const HELP = `
Columns: mux and tap (var/mux2dev.txt, else configs/openvpn/*.conf), tunnel (up when the tap exists and is
up; var/<mux>.updown and the OpenVPN management socket are compared with it, disagreements are notes), the
tunnel's state from the OpenVPN management socket (var/<mux>.sock), the
tap's addresses, the mux's BGP neighbours (configs/bird/bird.conf and configs/bird6/bird6.conf, else PEERING's
addressing plan 100.{64+N}.128.1 and 2804:269c:ff00:{N}:1::1), BIRD's view of the sessions (var/bird.ctl,
var/bird6.ctl), and with --listen the BGP messages captured on each tunnel that is up.
`;

export function peeringCommand(done: (code: number) => void): Command {
  const status = new Command('status')
    .description('the state of every tunnel of a PEERING client checkout')
    .option('--peering <dir>', 'the client checkout (default: the current directory)')
    .option('--json', 'print JSON instead of a table', false)
    .option('--listen <duration>', 'capture on the tunnels that are up for this long and count BGP messages (needs root)', parseDuration)
    .option('--no-sockets', 'do not ask the OpenVPN management and BIRD control sockets')
    .option('--user <name>', 'with --listen: user the decoder runs as', 'nobody')
    .option('--no-drop-privileges', 'with --listen: decode as the user bgpcap was started as')
    .addHelpText('after', HELP)
    .action(async (o: StatusOpts) => {
      done(await runStatus(o));
    });
  const cmd = new Command('peering').description('PEERING client checkouts: tunnels, muxes, BGP sessions').addCommand(status);
  status.exitOverride().configureOutput({
    outputError: (str, write) => write(`bgpcap: ${str.replace(/^error: /, '').replace(/\s+/g, ' ').trim()} (see --help)\n`),
  });
  return cmd;
}

async function runStatus(o: StatusOpts): Promise<number> {
  const dir = o.peering ?? '.';
  let st: PeeringStatus;
  try {
    st = await peeringStatus(dir, { sockets: o.sockets });
  } catch (e) {
    if (e instanceof PeeringDirError) throw new UsageError(`--peering: ${e.message}`);
    throw e;
  }
  let listened: LiveResult | null = null;
  if (o.listen !== undefined) {
    const up = st.muxes.filter((m) => m.up);
    if (up.length > 0) {
      try {
        listened = await listen(up, o);
      } catch (e) {
        if (e instanceof BackendUnavailable || e instanceof LiveUnavailable) {
          process.stderr.write(`bgpcap: ${e.message}\n`);
          return EXIT_USAGE;
        }
        if (e instanceof LiveInputError) {
          process.stderr.write(`bgpcap: ${e.message}\n`);
          return EXIT_INPUT;
        }
        throw e;
      }
    }
  }
  const seen = new Map<string, DecoderIfaceCounts | null>();
  if (listened !== null) for (const i of listened.ifaces) seen.set(i.iface, i.decoder);
  if (o.json) {
    const out = {
      ...st,
      listen_seconds: o.listen ?? null,
      muxes: st.muxes.map((m) => ({ ...m, seen: o.listen === undefined || !m.up ? null : (seen.get(m.tap) ?? emptyCounts(m)) })),
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } else {
    process.stdout.write(formatTable(st, o.listen, seen));
  }
  for (const w of st.warnings) process.stderr.write(`bgpcap: ${w}\n`);
  return EXIT_OK;
}

function emptyCounts(m: MuxStatus): DecoderIfaceCounts {
  return { name: m.tap, mux: m.mux, frames: 0, messages: 0, byType: {}, lastMessage: null };
}

async function listen(up: MuxStatus[], o: StatusOpts): Promise<LiveResult> {
  const { pcapBackend, loadPcap } = await import('../source/live-pcap.js');
  loadPcap();
  const root = process.getuid?.() === 0;
  return runLive({
    targets: up.map((m) => ({ iface: m.tap, mux: m.mux, mustExist: false })),
    backend: pcapBackend,
    bpf: 'tcp port 179',
    snaplen: DEFAULT_SNAPLEN,
    bufferSize: 16 * 1024 * 1024,
    promiscuous: false,
    write: null,
    pollMs: 500,
    maxQueueBytes: 256 * 1024 * 1024,
    decoder: {
      sink: { format: 'none', level: 'msg' },
      filterOptions: {},
      ports: [179],
      reassembly: { maxBufferedPerFlow: 4 * 1024 * 1024, maxBufferedTotal: 256 * 1024 * 1024, maxConnections: 100_000 },
      filterLevel: 'msg',
      drop: o.dropPrivileges && root ? lookupUser(o.user) : null,
      stats: false,
    },
    durationMs: Math.round((o.listen ?? 0) * 1000),
    handleSignals: true,
    log: () => {},
  });
}

const SHORT: Record<string, string> = { OPEN: 'O', UPDATE: 'U', NOTIFICATION: 'N', KEEPALIVE: 'K', 'ROUTE-REFRESH': 'R' };

function seenText(c: DecoderIfaceCounts | null | undefined): string {
  if (c === null || c === undefined || c.messages === 0) return '0';
  const parts = Object.entries(c.byType).map(([k, v]) => `${SHORT[k] ?? k}${v}`);
  return `${c.messages} (${parts.join(' ')})`;
}

function bgpText(m: MuxStatus): string {
  const p: string[] = [];
  if (m.bgp4 !== null) p.push(`v4 ${m.bgp4.bgpState ?? m.bgp4.state}`);
  if (m.bgp6 !== null) p.push(`v6 ${m.bgp6.bgpState ?? m.bgp6.state}`);
  return p.length === 0 ? '-' : p.join(', ');
}

export function formatTable(st: PeeringStatus, listenSeconds: number | undefined, seen: Map<string, DecoderIfaceCounts | null>): string {
  const head = ['mux', 'tap', 'tunnel', 'openvpn', 'local addresses', 'bgp neighbors', 'bgp (bird)'];
  if (listenSeconds !== undefined) head.push(`seen in ${listenSeconds}s`);
  head.push('notes');
  const rows = st.muxes.map((m) => {
    const r = [
      m.mux,
      m.tap,
      m.up ? 'up' : 'down',
      m.openvpn?.state ?? '-',
      m.localAddresses.join(' ') || '-',
      [m.neighbor4, m.neighbor6].filter((x) => x !== null).join(' ') || '-',
      bgpText(m),
    ];
    if (listenSeconds !== undefined) r.push(m.up ? seenText(seen.get(m.tap)) : '-');
    r.push(m.notes.join('; '));
    return r;
  });
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const fmt = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return `${[fmt(head), ...rows.map(fmt)].join('\n')}\n`;
}
