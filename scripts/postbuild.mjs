// Make the CLI entry point executable after tsc wrote it (tsc keeps the shebang but not the mode).
import { chmodSync, existsSync } from 'node:fs';
if (existsSync('dist/cli.js')) chmodSync('dist/cli.js', 0o755);
