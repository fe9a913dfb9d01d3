// Build step after tsc: bundle the compiled modules into dist/bundle/cli.cjs and dist/bundle/worker.cjs and
// train a V8 code cache for each (why: src/bundle.ts, which loads them).
//
//  - CommonJS, so that the loader can compile the bundle with node:vm's cachedData (ES modules cannot be
//    compiled from a cache on Node 20). The commands' `await import('./read.js')` stay lazy: esbuild turns
//    each into a function that evaluates the command's modules when first called.
//  - import.meta.url: each module's own URL as tsc laid it out under dist/ (new URL('../../filters/',
//    import.meta.url) and the like keep pointing where they did), computed from the bundle's directory.
//  - Bundled: our modules, commander and stream-json (evaluated only when a command that uses it runs).
//    Required at run time: the capture libraries (native addons) and kafkajs.
//  - Training: one run of each bundle on a fixture with BGPCAP_CODE_CACHE_WRITE set; at exit V8's cache of
//    everything that run compiled is written beside the bundle. The worker's first, with `--workers 2`,
//    then the CLI's, alone, with the output most runs ask for. A cache fits only the bundle it was made
//    from (V8 checks little more than the source's length): the old ones are removed first, and a failed
//    training run fails the build rather than leave a bundle without its cache or with another's.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const out = join(dist, 'bundle');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
// Required from their install at run time: the capture libraries (native addons) and kafkajs (a third of the
// bundle's source otherwise, read and checked on every start for the runs that use Kafka).
const external = [...Object.keys(pkg.optionalDependencies ?? {}), 'kafkajs'].flatMap((name) => [name, `${name}/*`]);

/**
 * Two rewrites as files are loaded. import.meta.url of a module under dist/ → that module's file URL, from the
 * bundle's __dirname. import("node:…") of a builtin (stream-json's helpers load string_decoder so) → the
 * builtin from require(), as a namespace: a dynamic import() inside a node:vm script needs the experimental
 * vm module loader, which warns on stderr.
 */
const rewrite = {
  name: 'bgpcap-rewrite',
  setup(b) {
    b.onLoad({ filter: /\.[cm]?js$/ }, (args) => {
      let text = readFileSync(args.path, 'utf8');
      if (args.path.startsWith(dist + sep)) {
        const rel = relative(dist, args.path).split(sep).join('/');
        text = text.replaceAll('import.meta.url', `__bgpcapModuleUrl(${JSON.stringify(rel)})`);
      }
      text = text.replace(/\bimport\(\s*(["'])(node:[\w/]+)\1\s*\)/g, '__bgpcapImportBuiltin("$2")');
      return { contents: text, loader: 'js' };
    });
  },
};

rmSync(out, { recursive: true, force: true });
for (const [name, entry] of [
  ['cli', 'cli/program.js'],
  ['worker', 'workers/worker.js'],
]) {
  const r = await build({
    entryPoints: [join(dist, entry)],
    outfile: join(out, `${name}.cjs`),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external,
    plugins: [rewrite],
    metafile: true,
    banner: {
      js:
        'const __bgpcapModuleUrl = (rel) => require("node:url").pathToFileURL(require("node:path").join(__dirname, "..", rel)).href;\n' +
        'const __bgpcapImportBuiltin = (id) => Promise.resolve().then(() => { const m = require(id); return { ...m, default: m }; });',
    },
    logLevel: 'silent',
  });
  // A warning here (say import.meta left over) would be a bundle that behaves differently: stop the build.
  if (r.warnings.length > 0 || r.errors.length > 0) {
    for (const m of [...r.errors, ...r.warnings]) console.error(`bundle ${name}: ${m.text}${m.location ? ` (${m.location.file}:${m.location.line})` : ''}`);
    process.exit(1);
  }
  // A dynamic import() left in the bundle would need that loader too: everything it could load is bundled
  // or rewritten above, so one left over is a dependency that changed.
  for (const [file, input] of Object.entries(r.metafile.inputs)) {
    for (const i of input.imports) {
      if (i.kind === 'dynamic-import' && i.external) {
        console.error(`bundle ${name}: ${file} imports ${i.path} with import(): bundle it or rewrite it (scripts/bundle.mjs)`);
        process.exit(1);
      }
    }
  }
}

const fixture = join(root, 'fixtures', 'bird-ipv4-ipv6.pcap');
for (const [name, args] of [
  ['worker', ['read', '--workers', '2', '-f', 'jsonl', fixture]],
  ['cli', ['read', '-f', 'line', fixture]],
]) {
  const r = spawnSync(process.execPath, [join(dist, 'cli.js'), ...args], {
    env: { ...process.env, BGPCAP_CODE_CACHE_WRITE: name, BGPCAP_NO_BUNDLE: '' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (r.status !== 0) {
    console.error(`bundle: the training run of ${name} (bgpcap ${args.join(' ')}) failed: ${r.status ?? r.signal}`);
    process.exit(1);
  }
  if (!existsSync(join(out, `${name}.cjs.cache`))) {
    console.error(`bundle: the training run of ${name} (bgpcap ${args.join(' ')}) wrote no code cache: did it run the ${name} bundle?`);
    process.exit(1);
  }
}
