// After tsc: make the CLI entry point executable (tsc keeps the shebang but not the mode), then bundle the
// modules and train their code caches (bundle.mjs; why: src/bundle.ts).
import { chmodSync, existsSync } from 'node:fs';
if (existsSync('dist/cli.js')) chmodSync('dist/cli.js', 0o755);
await import('./bundle.mjs');
