// Build dist/ once before the suites that run the CLI as a user would (node dist/cli.js ...).
// tsc emits even when it finds type errors; those are reported by test/typecheck.test.ts, so a type error
// fails one named test instead of every suite.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], { cwd: root, stdio: 'ignore' });
}
