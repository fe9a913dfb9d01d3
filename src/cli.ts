#!/bin/sh
//usr/bin/env true; [ -z "${NODE_EXTRA_CA_CERTS-}" ] || export BGPCAP_EXTRA_CA_CERTS="$NODE_EXTRA_CA_CERTS"; unset NODE_EXTRA_CA_CERTS; exec node --no-concurrent-recompilation "$0" "$@"
// bgpcap command-line entry point. Exit codes (also in README.md and `bgpcap --help`):
//   0  success (malformed BGP messages are records, not failures)
//   1  an input could not be read completely (missing, truncated or corrupt file): everything before the
//      damage was written, then the error names the file and byte offset
//   2  usage error: bad flag, bad value, unknown field
//   3  internal error (a bug: please report it with the input)
//   4  Kafka: no broker at start, TLS/SASL refused, or records not delivered (see src/kafka/errors.ts)
//
// The first two lines: run as a command (`bgpcap` through npm's bin link, `npx bgpcap`, ./dist/cli.js), this
// file is a shell script for two lines, whose second runs `/usr/bin/env true` and then node on this file with a
// V8 flag; node skips the first line and reads the second as a comment. (`#!/usr/bin/env -S node <flag>` says
// the same more plainly, but BusyBox's env — Alpine, the node:alpine images — and the BSDs' have no -S: bgpcap
// would not start there.) `node dist/cli.js` runs without the flag, and with NODE_EXTRA_CA_CERTS as it is.
//
// NODE_EXTRA_CA_CERTS set: node parses that file's certificates before it runs any JavaScript, whether the
// program ever opens a TLS connection or not — 30 ms of CPU with a distribution's CA bundle (0.045 against
// 0.015 s for `node -e 0` here; a third of bgpcap's start-up; the variable is common where a proxy
// intercepts TLS). The shell line hands the file to bgpcap as BGPCAP_EXTRA_CA_CERTS instead, and the one TLS
// bgpcap does, to Kafka, trusts it as node would have (kafka/client.ts extraCa).
//
// The flag, --no-concurrent-recompilation: V8 compiles hot functions to optimised code on a helper thread by
// default, while the main thread goes on in the interpreter. bgpcap's reads are batch work of a second or more
// with a hundred such compilations in the first part of it, and on one core the helper waits for the main
// thread's core: the functions ran slow code meanwhile. Compiling them on the main thread instead, pinned to one
// CPU (taskset), wall time: bird jsonl -8 %, lab jsonl -11 %, packed jsonl -6 %, packed prefix filter -12 %; CPU
// seconds unpinned -4 to -17 % (a helper on this VM's other vCPU also slows the main thread); `--workers 2` wall
// -7 to -9 %. What grows is the wall time of a one-thread read on an idle second core, which no longer hides the
// compile time there: +0.02-0.15 s on sub-second reads, multi-second ones unchanged (bench/README.md). `live`'s
// decoder process, measured by the delay of each record rather than by CPU seconds, compiles on a helper
// thread again (source/live.ts DECODER_V8_FLAGS).
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
