// The commander program: one file per command; this file only assembles them and maps errors to exit codes.
import { Command, CommanderError } from 'commander';
import { readCommand } from './read.js';
import { liveCommand } from './live.js';
import { peeringCommand } from './peering.js';
import { consumeCommand } from './consume.js';
import { verifyCommand } from './verify.js';
import { reportCommand } from './report.js';
import { EXIT_INTERNAL, EXIT_USAGE, UsageError } from '../errors.js';
import { VERSION } from '../version.js';

const EXIT_HELP = `
Exit status:
  0  success (malformed BGP messages are reported as records, not failures)
  1  an input could not be read completely (missing, truncated or corrupt file)
  2  usage error (bad flag, value or field name)
  3  internal error (a bug: please report it with the input)
  4  Kafka: no broker reachable at start, TLS/SASL refused, or records that could not be delivered
`;

export async function main(argv: string[]): Promise<number> {
  let code = 0;
  const program = new Command('bgpcap')
    .description('Decode BGP from packet captures: TCP reassembly, every BGP message, text/JSON/line output.')
    .version(VERSION, '-V, --version')
    .configureOutput({ outputError: oneLine })
    .addHelpText('after', EXIT_HELP)
    .exitOverride();
  program.addCommand(
    readCommand((c) => {
      code = c;
    }),
  );
  program.addCommand(liveCommand((c) => (code = c)));
  program.addCommand(peeringCommand((c) => (code = c)));
  program.addCommand(consumeCommand((c) => (code = c)));
  program.addCommand(verifyCommand((c) => (code = c)));
  program.addCommand(reportCommand((c) => (code = c)));
  for (const c of program.commands) c.exitOverride().configureOutput({ outputError: oneLine });
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here with exitCode 0; usage mistakes were already printed by commander.
      return err.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (err instanceof UsageError) {
      process.stderr.write(`bgpcap: ${err.message}\n`);
      return EXIT_USAGE;
    }
    throw err;
  }
  return code === undefined ? EXIT_INTERNAL : code;
}

/** Commander's messages ("error: unknown option '--x'") as the one-line usage error users get. */
function oneLine(str: string, write: (s: string) => void): void {
  write(`bgpcap: ${str.replace(/^error: /, '').replace(/\s+/g, ' ').trim()} (see --help)\n`);
}
