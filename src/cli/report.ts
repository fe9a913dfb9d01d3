// `bgpcap report CAPTURE... -o report.html`: one self-contained HTML page (sessions on a time axis, update
// rates, prefix histories with an AS-path graph) plus the same numbers as embedded JSON. See src/report/.
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError, Option } from 'commander';
import { EXIT_INPUT, EXIT_OK, UsageError } from '../errors.js';
import { addFilterOptions, buildFilters } from './filter-options.js';
import { parseByteSize, parseCount, parsePort } from './parse.js';
import { describeStages } from '../filter/index.js';
import { Stage2Filter } from '../filter/stage2.js';
import { renderHtml } from '../report/html.js';
import { PEERING_ASNS } from '../report/model.js';
import { runReport, type ReportInput } from '../report/run.js';
import { readVerdictFile, runVerifyChild } from '../report/verify.js';
import type { VerifySection } from '../report/model.js';
import type { ReportOptions } from '../report/aggregate.js';
import { VERSION } from '../version.js';

interface ReportOpts {
  output: string;
  fromJsonl?: string[];
  title?: string;
  top: number;
  historyLimit: number;
  maxPoints: number;
  poisoned: number[];
  peeringAsns?: number[];
  port: number[];
  maxFlowBuffer: number;
  maxTotalBuffer: number;
  maxConnections: number;
  verdicts?: string[];
  verifyPeering?: string;
  verifyAnnouncement?: string;
  verifySince?: string;
  prefix?: string[];
  includeSuper?: boolean;
  includeSub?: boolean;
}

const HELP = `
The page (one file, no network access needed to open it) shows:
  Sessions       one row per BGP session with its life on a time axis: OPENs, established, End-of-RIB,
                 NOTIFICATIONs (with the shutdown text), capture gaps, silences longer than the hold time
  Update rate    prefixes announced and withdrawn per second and session, zoomable; the busiest seconds
  Prefixes       for each chosen prefix every announcement and withdrawal per session with AS path,
                 communities and next hop, path changes highlighted, and a BGPlay-like AS-path graph
                 (PEERING ASNs and poisoned ASNs marked)
  Events         gaps, resets and malformed messages
Tables sort and filter in the page. Every number is also in <script type="application/json"
id="bgpcap-data"> (report_version 1), for scripts.

--prefix chooses the prefix histories (exact; with --include-sub / --include-super also more or less
specific ones); it does not filter the rest of the report. Without --prefix the --top prefixes with the most
announcements and withdrawals are shown: that takes a second pass over the input (standard input is
copied to a temporary file for it). The other filter options select the records the report is made of.

Verify: --verify-peering DIR or --verify-announcement FILE runs bgpcap verify (the same program) on the
capture files and adds its verdicts as a per-mux table; for the flag form of verify, run it yourself with
-f jsonl and pass the output with --verdicts FILE.

Examples:
  bgpcap report capture.pcap -o report.html
  bgpcap report amsterdam01.tap5.pcap seattle01.tap3.pcap --prefix 184.164.236.0/24 -o pm.html
  bgpcap report --from-jsonl records.jsonl -o report.html
  bgpcap report caps/*.pcap --verify-peering ~/client -o pm.html
  bgpcap verify -f jsonl --prefix 184.164.236.0/24 --mux amsterdam01 --poison 3356 caps/*.pcap > v.jsonl
  bgpcap report caps/*.pcap --verdicts v.jsonl -o pm.html
  bgpcap consume --kafka k:9092 --exit-at-end --from-beginning -f jsonl | bgpcap report --from-jsonl - -o r.html
`;

function collect<T>(parse: (v: string) => T[]) {
  return (v: string, prev: T[] | undefined): T[] => [...(prev ?? []), ...parse(v)];
}

function parseAsnList(v: string): number[] {
  return v.split(',').map((x) => {
    const t = x.trim().replace(/^AS/i, '');
    if (!/^\d+$/.test(t) || Number(t) > 4294967295) throw new InvalidArgumentError(`expected ASNs (e.g. 3356 or 3356,174), got '${x.trim()}'`);
    return Number(t);
  });
}

export function reportCommand(done: (code: number) => void): Command {
  const cmd = new Command('report')
    .description('write a self-contained HTML report: sessions, update rates, prefix histories, AS-path graph')
    .argument('[captures...]', 'capture files (pcap, pcapng, gzip), or - for standard input')
    .requiredOption('-o, --output <file>', 'the HTML file to write (- for standard output)')
    .option('--from-jsonl <file>', 'read JSON lines written by bgpcap (read/consume -f jsonl, msg or elem level; - for stdin; .gz ok); repeatable', collect((v) => [v]))
    .option('--title <text>', 'page title (default: the input names)')
    .option('--top <n>', 'prefix histories to show when no --prefix is given (most announcements + withdrawals)', parseCount, 10)
    .option('--history-limit <n>', 'announcements/withdrawals kept per prefix history', parseCount, 2000)
    .option('--max-points <n>', 'update-rate points in all; beyond, buckets widen from 1 s to 2 s, 5 s, ...', parseCount, 100_000)
    .option('--poisoned <asns>', 'mark these ASNs as poisoned in AS paths (comma-separated; repeatable)', collect(parseAsnList), [] as number[])
    .option('--peering-asns <asns>', `ASNs marked as PEERING (default ${PEERING_ASNS.join(',')})`, collect(parseAsnList))
    .option('--verify-peering <dir>', 'add the verdicts of bgpcap verify --peering DIR on the capture files')
    .option('--verify-announcement <file>', 'add the verdicts of bgpcap verify --announcement FILE on the capture files')
    .option('--verify-since <time>', 'with --verify-*: passed to bgpcap verify as --since')
    .option('--verdicts <file>', 'add verdicts written by bgpcap verify -f jsonl (repeatable; - for stdin)', collect((v) => [v]))
    .option('-p, --port <port>', 'also treat this TCP port as BGP (repeatable; 179 always)', collect((v) => [parsePort(v)]), [] as number[])
    .option('--max-flow-buffer <bytes>', 'out-of-order bytes buffered per TCP direction before a gap is declared', parseByteSize, 4 * 1024 * 1024)
    .option('--max-total-buffer <bytes>', 'out-of-order bytes buffered across all connections', parseByteSize, 256 * 1024 * 1024)
    .option('--max-connections <n>', 'TCP connections tracked at once', parseCount, 100_000)
    .addHelpText('after', HELP)
    .action(async (captures: string[], opts: ReportOpts) => {
      done(await runReportCommand(captures, opts));
    });
  addFilterOptions(cmd);
  // In this command --prefix chooses histories; say so where users look.
  const p = cmd.options.find((o: Option) => o.long === '--prefix');
  if (p !== undefined) p.description = 'show the history of this prefix (repeatable; exact unless --include-sub/--include-super); does not filter';
  return cmd;
}

async function runReportCommand(captures: string[], o: ReportOpts): Promise<number> {
  const jsonl = o.fromJsonl ?? [];
  if (captures.length === 0 && jsonl.length === 0) throw new UsageError('report needs capture files or --from-jsonl FILE');
  if ([...captures, ...jsonl, ...(o.verdicts ?? [])].filter((f) => f === '-').length > 1) throw new UsageError('standard input (-) can be read only once');
  if (o.verifyPeering !== undefined && o.verifyAnnouncement !== undefined) throw new UsageError('give one of --verify-peering and --verify-announcement');
  const verifyRun = o.verifyPeering !== undefined || o.verifyAnnouncement !== undefined;
  if (verifyRun && (captures.length === 0 || captures.includes('-'))) throw new UsageError('--verify-peering / --verify-announcement check capture files (not standard input or JSON lines)');
  if (o.verifySince !== undefined && !verifyRun) throw new UsageError('--verify-since needs --verify-peering or --verify-announcement');
  const { prefix, includeSub, includeSuper, ...rest } = o;
  const filters = buildFilters(rest); // UsageError before any input is read
  let historyFor: ReportOptions['historyFor'] = null;
  if (prefix !== undefined && prefix.length > 0) {
    const m = buildFilters({ prefix, includeSub, includeSuper }).stage2;
    if (m instanceof Stage2Filter) historyFor = (r, e) => m.elem(r, e);
  } else if (includeSub === true || includeSuper === true) {
    throw new UsageError('--include-sub and --include-super need --prefix');
  }
  // Verdict files first: a wrong name is a usage error before the captures are read.
  const sections: VerifySection[] = [];
  for (const f of o.verdicts ?? []) {
    try {
      sections.push(await readVerdictFile(f));
    } catch (e) {
      throw new UsageError(`--verdicts ${f}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
    }
  }
  const inputs: ReportInput[] = [...captures.map((path) => ({ kind: 'capture' as const, path })), ...jsonl.map((path) => ({ kind: 'jsonl' as const, path }))];
  const names = inputs.map((i) => i.path);
  const title = o.title ?? `bgpcap report: ${names.map((n) => (n === '-' ? 'stdin' : basename(n))).slice(0, 4).join(', ')}${names.length > 4 ? `, … (${names.length} inputs)` : ''}`;
  const res = await runReport(inputs, {
    report: {
      title,
      generator: `bgpcap ${VERSION}`,
      inputs: names,
      filter: describeStages(filters.stage1, filters.stage2),
      top: o.top,
      historyPerPrefix: o.historyLimit,
      maxPoints: o.maxPoints,
      poisoned: o.poisoned,
      peeringAsns: o.peeringAsns ?? PEERING_ASNS,
      historyFor,
    },
    ports: new Set([179, ...o.port]),
    reassembly: { maxBufferedPerFlow: o.maxFlowBuffer, maxBufferedTotal: o.maxTotalBuffer, maxConnections: o.maxConnections },
    stage1: filters.stage1,
    stage2: filters.stage2,
  });
  if (verifyRun) {
    const args = o.verifyPeering !== undefined ? ['--peering', o.verifyPeering] : ['--announcement', o.verifyAnnouncement!];
    if (o.verifySince !== undefined) args.push('--since', o.verifySince);
    for (const p of o.port) args.push('--port', String(p));
    sections.push(await runVerifyChild(fileURLToPath(new URL('../cli.js', import.meta.url)), [...args, ...captures]));
  }
  if (sections.length > 0) {
    res.data.verify = {
      source: sections.map((x) => x.source).join('; '),
      exit_status: sections.length === 1 ? sections[0]!.exit_status : null,
      verdicts: sections.flatMap((x) => x.verdicts),
      messages: sections.flatMap((x) => x.messages),
    };
  }
  const html = renderHtml(res.data);
  if (o.output === '-') process.stdout.write(html);
  else {
    try {
      writeFileSync(o.output, html);
    } catch (e) {
      process.stderr.write(`bgpcap: ${o.output}: ${(e as Error).message}\n`);
      return EXIT_INPUT;
    }
  }
  for (const p of res.problems) process.stderr.write(`bgpcap: ${p}\n`);
  const d = res.data;
  process.stderr.write(
    `bgpcap: report ${o.output === '-' ? '(stdout)' : o.output}: ${d.totals.sessions} sessions, ${d.totals.messages} messages, ${d.totals.announcements} announced, ${d.totals.withdrawals} withdrawn, ${d.prefixes.list.length} prefix histories, ${(Buffer.byteLength(html) / 1e6).toFixed(2)} MB\n`,
  );
  return res.problems.length > 0 ? EXIT_INPUT : EXIT_OK;
}
