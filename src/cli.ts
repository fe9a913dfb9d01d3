#!/usr/bin/env node
// bgpcap command-line entry point. Exit codes (also in README.md and `bgpcap --help`):
//   0  success (malformed BGP messages are records, not failures)
//   1  an input could not be read completely (missing, truncated or corrupt file): everything before the
//      damage was written, then the error names the file and byte offset
//   2  usage error: bad flag, bad value, unknown field
//   3  internal error (a bug: please report it with the input)
//   4  Kafka: no broker at start, TLS/SASL refused, or records not delivered (see src/kafka/errors.ts)
import { loadBundle } from './bundle.js';

// The bundled CLI when the build made one (bundle.ts: start-up), else the modules.
type Main = (argv: string[]) => Promise<number>;
const main = (loadBundle('cli')?.['main'] as Main | undefined) ?? (await import('./cli/program.js')).main;

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`bgpcap: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 3;
  },
);
