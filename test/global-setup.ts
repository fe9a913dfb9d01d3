// Build dist/ once before the suites that run the CLI as a user would (node dist/cli.js ...), as npm run build does.
// tsc emits even when it finds type errors; those are reported by test/typecheck.test.ts, so a type error
// fails one named test instead of every suite.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], { cwd: root, stdio: 'ignore' });
  // Then the bundles and their code caches (src/bundle.ts), as `npm run build` makes them: the CLI runs from
  // those, and a bundle older than the modules would be skipped (test/cli/bundle.test.ts would say so).
  const r = spawnSync(process.execPath, ['scripts/postbuild.mjs'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`scripts/postbuild.mjs failed (${r.status ?? r.signal}): the bundles could not be made`);
}
