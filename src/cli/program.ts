// The commander program: one file per command; this file only assembles them and maps errors to exit codes.
import { Command, CommanderError } from 'commander';
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

type MakeCommand = (setCode: (c: number) => void) => Command;

/**
 * The commands, in the order `--help` lists them, each loaded when needed: a run imports only the modules of
 * the command it runs (`read`: 118 of 179 modules, ~25 ms less start-up than loading every command's
 * decoders, report page, verifier and JSON stream parser). In the bundle (../bundle.ts) every module is there
 * already, compiled from the code cache, and these imports only evaluate the command's modules.
 */
const COMMANDS: readonly (readonly [string, () => Promise<MakeCommand>])[] = [
  ['read', async () => (await import('./read.js')).readCommand],
  ['live', async () => (await import('./live.js')).liveCommand],
  ['peering', async () => (await import('./peering.js')).peeringCommand],
  ['consume', async () => (await import('./consume.js')).consumeCommand],
  ['verify', async () => (await import('./verify.js')).verifyCommand],
  ['report', async () => (await import('./report.js')).reportCommand],
];

/**
 * The commands a command line needs: the one it names, or all of them (no command, `help`, an option before
 * the command, an unknown command: commander lists them or suggests the nearest).
 */
function needed(argv: readonly string[]): (typeof COMMANDS)[number][] {
  const named = COMMANDS.find(([name]) => name === argv[2]);
  return named === undefined ? [...COMMANDS] : [named];
}

export async function main(argv: string[]): Promise<number> {
  // `bgpcap --help | head`: the reader may go away before a write that does not go through Output (which
  // handles EPIPE for records, sink/output.ts): help, version, `peering status`. A quiet exit, as for records.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  let code = 0;
  const program = new Command('bgpcap')
    .description('Decode BGP from packet captures: TCP reassembly, every BGP message, text/JSON/line output.')
    .version(VERSION, '-V, --version')
    .configureOutput({ outputError: oneLine })
    .addHelpText('after', EXIT_HELP)
    .exitOverride();
  const makers = await Promise.all(needed(argv).map(([, load]) => load()));
  for (const make of makers) program.addCommand(make((c) => (code = c)));
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
