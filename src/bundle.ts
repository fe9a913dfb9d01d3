// Start-up: the CLI and the `--workers` thread run from one bundled file each, compiled from a V8 code cache.
//
// Unbundled, `bgpcap read` starts by loading 118 ES modules: resolving, reading and compiling them took 0.09
// of the 0.15 CPU s a run on an empty capture cost (Node itself: 0.05) — on the real BIRD full table (21 MB,
// 0.7 CPU s) a fifth of the run. The build (scripts/bundle.mjs) therefore bundles the compiled modules into
// dist/bundle/cli.cjs and dist/bundle/worker.cjs (esbuild; lazily imported commands stay lazy: their modules
// are only evaluated when they run), runs each once on a fixture, and stores V8's code cache of what that run
// compiled next to it (`.cache`). Here each bundle is compiled as a script with that cache (node:vm, as Node
// does for CommonJS modules; V8 checks that the cache fits its version, flags and the source's length, and
// compiles from scratch otherwise): start-up 0.09 CPU s, a worker's 0.06 instead of 0.13.
//
// Without a bundle (a build that stopped after tsc, or BGPCAP_NO_BUNDLE=1) the callers import the modules
// as before: the same code either way, which test/cli/bundle.test.ts checks.

// Node's modules come from process.getBuiltinModule: this module imports nothing, so nothing is loaded before
// the bundle runs, and a Node without it (before 20.16) is told apart at once (it uses the modules).

export type BundleName = 'cli' | 'worker';

/** What loading a bundle did, for the test and for `BGPCAP_BUNDLE_DEBUG`. */
export interface BundleStatus {
  name: BundleName;
  /** The cache was there and V8 took it. */
  cacheAccepted: boolean;
}

let status: BundleStatus | null = null;

/** The last bundle loaded in this thread, or null when none was (the modules were imported instead). */
export function bundleStatus(): BundleStatus | null {
  return status;
}

/**
 * Run dist/bundle/NAME.cjs and return its exports, or null when there is no bundle to run (then the caller
 * imports the modules). With BGPCAP_CODE_CACHE_WRITE=NAME (the build's training runs) the code cache of what
 * this process compiled is written at exit.
 */
export function loadBundle(name: BundleName): Record<string, unknown> | null {
  if (process.env['BGPCAP_NO_BUNDLE'] === '1') return null;
  // Node before 20.16 has no getBuiltinModule: the modules are used there.
  if (typeof process.getBuiltinModule !== 'function') return null;
  const vm = process.getBuiltinModule('node:vm');
  const { readFileSync, statSync, writeFileSync } = process.getBuiltinModule('node:fs');
  const { createRequire } = process.getBuiltinModule('node:module');
  const { dirname } = process.getBuiltinModule('node:path');
  const { fileURLToPath } = process.getBuiltinModule('node:url');
  const file = fileURLToPath(new URL(`./bundle/${name}.cjs`, import.meta.url));
  let source: string;
  try {
    // tsc rewrites every module, this one included, on each build; the bundle is made after it. A module
    // newer than the bundle means tsc ran alone after the last bundling: the bundle is stale, use the modules.
    if (statSync(fileURLToPath(import.meta.url)).mtimeMs > statSync(file).mtimeMs) {
      debug(`bundle ${name}: older than the modules (tsc ran without scripts/bundle.mjs), not used`);
      return null;
    }
    source = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const cacheFile = `${file}.cache`;
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  // The CommonJS wrapper, as require() would add it (the bundle is CommonJS: see scripts/bundle.mjs).
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    ...(cachedData !== undefined ? { cachedData } : {}),
  });
  status = { name, cacheAccepted: cachedData !== undefined && !script.cachedDataRejected };
  debug(`bundle ${name}: code cache ${status.cacheAccepted ? 'used' : 'not used'}`);
  if (process.env['BGPCAP_CODE_CACHE_WRITE'] === name) process.on('exit', () => writeFileSync(cacheFile, script.createCachedData()));
  const module = { exports: {} as Record<string, unknown> };
  const fn = script.runInThisContext() as (e: unknown, r: NodeJS.Require, m: unknown, f: string, d: string) => void;
  fn(module.exports, createRequire(file), module, file, dirname(file));
  return module.exports;
}

function debug(text: string): void {
  if (process.env['BGPCAP_BUNDLE_DEBUG'] === '1') process.stderr.write(`bgpcap: ${text}\n`);
}
