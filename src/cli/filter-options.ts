// The filter options of a command: the bgpkit-style flags (src/filter/flags.ts), --filter expressions and
// --filter-file files. All of them are AND-ed; a mistake is a UsageError (exit 2) before any input is read.

import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { UsageError } from '../errors.js';
import { and, FilterError, formatFilterError, type Node } from '../filter/expr/ast.js';
import { parseExpression } from '../filter/expr/parser.js';
import { compileFilters, type Filters } from '../filter/index.js';
import { FILTER_FLAGS, flagNodes } from '../filter/flags.js';

function collect(v: string, prev: string[] | undefined): string[] {
  return [...(prev ?? []), v];
}

const FILTER_HELP = `
Filters (see README.md "Filtering"; all given filters must match):
  stage 1 (packet headers, before TCP reassembly): --host --src-ip --dst-ip --mac --src-port --dst-port
    --iface --start --end, and the keys host src_ip dst_ip mac src_mac dst_mac port src_port dst_port iface
    timestamp in expressions
  stage 2 (BGP fields): the other flags and keys. Values of one flag or key are OR-ed; !value excludes.
  --filter 'prefix <= 184.164.224.0/19 and (as_path ~ "_3356_" or not community 47065:*)'
  --filter-file blackholing            a saved filter from filters/ (or any file path)
  With --level msg a message matches when any of its prefixes matches; with --level elem each prefix is
  filtered on its own (withdrawn prefixes carry no path attributes).
`;

/** Add every filter flag, --filter and --filter-file to `cmd`. */
export function addFilterOptions(cmd: Command): Command {
  for (const def of FILTER_FLAGS) {
    const o = new Option(def.flag, def.help);
    if (def.bool !== true) o.argParser(collect);
    if (def.hidden === true) o.hideHelp();
    cmd.addOption(o);
  }
  cmd.addOption(new Option('--filter <expression>', 'filter expression (repeatable; see below)').argParser(collect));
  cmd.addOption(new Option('--filter-file <file>', 'filter expression read from a file; # starts a comment (repeatable)').argParser(collect));
  cmd.addHelpText('after', FILTER_HELP);
  return cmd;
}

/** Where saved filters live: filters/ at the package root (next to dist/ and src/). */
const FILTERS_DIR = new URL('../../filters/', import.meta.url);

function readFilterFile(path: string): { name: string; text: string } {
  const candidates = [path];
  if (!path.includes('/')) {
    candidates.push(new URL(path, FILTERS_DIR).pathname);
    if (!path.endsWith('.filter')) candidates.push(new URL(`${path}.filter`, FILTERS_DIR).pathname);
  }
  for (const c of candidates) {
    try {
      return { name: c === path ? path : `filters/${c.slice(c.lastIndexOf('/') + 1)}`, text: readFileSync(c, 'utf8') };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && c !== candidates[candidates.length - 1]) continue;
      if (code === 'ENOENT') throw new UsageError(`--filter-file ${path}: no such file (nor a saved filter of that name in filters/)`);
      if (code === 'EISDIR') throw new UsageError(`--filter-file ${path}: is a directory`);
      throw new UsageError(`--filter-file ${path}: ${(e as Error).message}`);
    }
  }
  throw new UsageError(`--filter-file ${path}: no such file`);
}

/**
 * Build both filter stages from commander's parsed options. Throws UsageError: one line for a bad flag value,
 * the message with the column and a caret line for a mistake in an expression or filter file.
 */
export function buildFilters(opts: object): Filters {
  const o = opts as Readonly<Record<string, unknown>>;
  try {
    const nodes: Node[] = flagNodes(o);
    for (const text of (o['filter'] as string[] | undefined) ?? []) {
      const n = parseExpression({ name: '--filter', text, file: false });
      if (n === null) throw new UsageError('--filter is empty');
      nodes.push(n);
    }
    for (const path of (o['filterFile'] as string[] | undefined) ?? []) {
      const { name, text } = readFilterFile(path);
      const n = parseExpression({ name, text, file: true });
      if (n === null) throw new UsageError(`${name}: the file holds no filter expression (only comments?)`);
      nodes.push(n);
    }
    return compileFilters(nodes.length === 0 ? null : and(nodes));
  } catch (e) {
    if (e instanceof FilterError) throw new UsageError(formatFilterError(e));
    throw e;
  }
}
