// Output: batching, live flushing, files, backpressure, and the quiet exit when the reader goes away.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { Output } from '../../src/sink/output.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'bgpcap-sink-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A Writable that records each write it receives. */
function recorder(): { stream: Writable; writes: string[] } {
  const writes: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      writes.push(chunk.toString());
      cb();
    },
  });
  return { stream, writes };
}

describe('Output to a stream', () => {
  it('batches records into one write per batch, and flush() hands over the rest', async () => {
    const { stream, writes } = recorder();
    const out = new Output(stream, { batchSize: 10 });
    out.write('abc\n');
    out.write('def\n');
    expect(writes).toEqual([]);
    out.write('ghi\n'); // 12 characters collected >= 10
    await new Promise((r) => setImmediate(r));
    expect(writes).toEqual(['abc\ndef\nghi\n']);
    out.write('jkl\n');
    await out.flush();
    expect(writes).toEqual(['abc\ndef\nghi\n', 'jkl\n']);
    await out.end();
  });

  it('flushEachRecord writes every record at once', async () => {
    const { stream, writes } = recorder();
    const out = new Output(stream, { flushEachRecord: true });
    out.write('a\n');
    out.write('b\n');
    await out.flush();
    expect(writes).toEqual(['a\n', 'b\n']);
  });

  it('EPIPE: onEpipe once, output closed, later writes dropped, end() resolves', async () => {
    let calls = 0;
    const stream = new Writable({
      write(_c, _e, cb) {
        const err = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
        cb(err);
      },
    });
    const out = new Output(stream, { flushEachRecord: true, onEpipe: () => calls++ });
    out.write('x\n');
    await new Promise((r) => setImmediate(r));
    expect(out.closed).toBe(true);
    out.write('y\n');
    out.write('z\n');
    await out.end();
    expect(calls).toBe(1);
  });

  it('another write error: end() rejects with it unless onError takes it', async () => {
    const failing = () =>
      new Writable({
        write(_c, _e, cb) {
          cb(Object.assign(new Error('no space left on device'), { code: 'ENOSPC' }));
        },
      });
    const a = new Output(failing());
    a.write('x\n');
    await expect(a.end()).rejects.toThrow(/no space/);
    const seen: string[] = [];
    const b = new Output(failing(), { onError: (e) => seen.push(e.message) });
    b.write('x\n');
    await b.end();
    expect(seen).toEqual(['no space left on device']);
  });

  it('backpressure: needsDrain after the stream says stop, drain() resolves when it empties', async () => {
    let release: (() => void) | null = null;
    const stream = new Writable({
      highWaterMark: 4,
      write(_c, _e, cb) {
        release = cb;
      },
    });
    const out = new Output(stream, { flushEachRecord: true });
    out.write('0123456789\n');
    expect(out.needsDrain).toBe(true);
    const drained = out.drain();
    (release as unknown as () => void)();
    await drained;
    expect(out.needsDrain).toBe(false);
  });
});

describe('Output to a file (blocking fd writes)', () => {
  it('writes everything, in order, and closes the file at end()', async () => {
    const file = join(tmp, 'out.txt');
    const out = Output.toFile(file, { batchSize: 1000 });
    let expected = '';
    for (let i = 0; i < 5000; i++) {
      const l = `line ${i} ünïcödé\n`;
      out.write(l);
      expected += l;
    }
    await out.end();
    expect(readFileSync(file, 'utf8')).toBe(expected);
  });

  it('a path that cannot be opened throws the fs error at once', () => {
    expect(() => Output.toFile(join(tmp, 'no/such/dir/x'))).toThrow(/ENOENT/);
  });
});

// ---- child processes writing to a real pipe through process.stdout, as the CLI does

/** The sink sources compiled to plain ESM in a temp folder, so a child `node` can import them (Node 20 runs no TS). */
function compileSinkForChild(): string {
  const out = join(tmp, 'js');
  // Every module under src/ (the sinks import the model, errors, and whatever those import), plus the test records.
  const walk = (dir: string): string[] =>
    readdirSync(join(root, dir), { withFileTypes: true }).flatMap((d) =>
      d.isDirectory() ? walk(`${dir}/${d.name}`) : d.name.endsWith('.ts') ? [`${dir}/${d.name}`] : [],
    );
  const files = [...walk('src'), 'test/sink/records.ts'];
  for (const f of files) {
    const js = ts.transpileModule(readFileSync(join(root, f), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    const dest = join(out, f.replace(/\.ts$/, '.js'));
    mkdirSync(dirname(dest), { recursive: true });
    writeFileSync(dest, js);
  }
  writeFileSync(join(out, 'package.json'), '{"type":"module"}');
  return out;
}

const js = compileSinkForChild();

function child(body: string): ReturnType<typeof spawn> {
  const script = `
    import { createSink } from ${JSON.stringify(join(js, 'src/sink/index.js'))};
    import { Output } from ${JSON.stringify(join(js, 'src/sink/output.js'))};
    import * as R from ${JSON.stringify(join(js, 'test/sink/records.js'))};
    ${body}
  `;
  return spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
}

function collect(c: ReturnType<typeof spawn>): { stderr: () => string; status: Promise<number | null> } {
  let stderr = '';
  c.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return { stderr: () => stderr, status: new Promise((resolve) => c.on('close', (code) => resolve(code))) };
}

/**
 * Where a child that should have ended stands, from the kernel's view (Linux): its state and wait channel, and
 * what its stdout is. Read before killing it, so a hang fails with a reason instead of a bare timeout.
 */
function childState(pid: number | undefined): string {
  if (pid === undefined) return 'no pid';
  /** `get` of /proc/PID/`f`, or the error code when the kernel has nothing to say (the child is gone). */
  const proc = (f: string, get: (path: string) => string): string => {
    try {
      return get(`/proc/${pid}/${f}`).trim();
    } catch (err) {
      return `(${(err as NodeJS.ErrnoException).code})`;
    }
  };
  const read = (path: string): string => readFileSync(path, 'utf8');
  const status = proc('status', read);
  const state = /^State:\s*(.*)$/m.exec(status)?.[1] ?? status;
  return `pid ${pid}: state ${state}, wchan ${proc('wchan', read)}, fd 1 -> ${proc('fd/1', readlinkSync)}`;
}

/** Resolves with `p`, or rejects after `ms` with childState() of `c`, and kills it. */
function watchdog<T>(p: Promise<T>, c: ReturnType<typeof spawn>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const state = childState(c.pid);
      c.kill('SIGKILL');
      reject(new Error(`${what} not within ${ms} ms; ${state}`));
    }, ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

describe('stdout closed early (| head -1)', () => {
  it('exits quietly with status 0 through onEpipe', async () => {
    // Writes without end: only the reader going away can stop it.
    const c = child(`
      const out = new Output(process.stdout, { onEpipe: () => process.exit(0) });
      const sink = createSink({ format: 'jsonl', level: 'elem' }, out);
      for (;;) sink.write(R.U1);
    `);
    const r = collect(c);
    // A child that ends before writing anything fails here with its stderr (not a wait for data that never comes).
    const first = await watchdog(
      Promise.race([
        new Promise<string>((resolve) => c.stdout!.once('data', (d: Buffer) => resolve(d.toString()))),
        r.status.then((code) => Promise.reject(new Error(`child ended (${code}) before any output: ${r.stderr()}`))),
      ]),
      c,
      20_000,
      'first output',
    );
    expect(first.split('\n')[0]).toMatch(/^\{"v":1,"timestamp":1700000000\.123456,/);
    c.stdout!.destroy();
    expect(await watchdog(r.status, c, 20_000, 'exit after the reader closed')).toBe(0);
    expect(r.stderr()).toBe('');
  });
});

describe('a slow reader', () => {
  it('gets every byte: the writer waits (EAGAIN on the non-blocking pipe) instead of buffering or failing', async () => {
    const c = child(`
      const out = new Output(process.stdout, { onEpipe: () => process.exit(9) });
      const sink = createSink({ format: 'line', level: 'elem', fields: ['prefix', 'frame'] }, out);
      for (let i = 0; i < 100000; i++) sink.write({ ...R.U1, frame: i });
      await sink.end();
    `);
    const r = collect(c);
    let bytes = 0;
    let lines = 0;
    let last = '';
    c.stdout!.pause();
    c.stdout!.on('data', (d: Buffer) => {
      bytes += d.length;
      const s = d.toString();
      for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) lines++;
      last = (last + s).slice(-40);
    });
    await new Promise((res) => setTimeout(res, 300)); // let the pipe fill up
    c.stdout!.resume();
    expect(await watchdog(r.status, c, 30_000, 'exit after 100,000 records')).toBe(0);
    expect(r.stderr()).toBe('');
    expect(lines).toBe(300000);
    expect(last.trimEnd().split('\n').at(-1)).toBe('198.51.100.0/24|99999');
    expect(bytes).toBeGreaterThan(300000 * 12);
  });
});

// Node opens a stdout pipe in non-blocking mode; a full pipe then fails every write with EAGAIN, which a
// synchronous writer can only meet by sleeping while a fast reader (`| cat`, `| gzip`) has long made room.
// Output puts the pipe back in blocking mode, so a write waits in the kernel just until there is room. Read
// from the kernel's own view of the descriptor (/proc/self/fdinfo: O_NONBLOCK is 04000).
describe.skipIf(process.platform !== 'linux')('stdout into a pipe', () => {
  it('is made blocking when Output writes to it', async () => {
    const script = [
      `import { Output } from ${JSON.stringify(join(root, 'dist/sink/output.js'))};`,
      `import { readFileSync } from 'node:fs';`,
      `const nonblocking = () => (parseInt(/flags:\\s+(\\d+)/.exec(readFileSync('/proc/self/fdinfo/1', 'utf8'))[1], 8) & 0o4000) !== 0;`,
      `const before = process.stdout && nonblocking();`,
      `const out = new Output(process.stdout);`,
      `const after = nonblocking();`,
      `out.write('x'.repeat(1 << 20) + '\\n');`,
      `out.end();`,
      `process.stderr.write(JSON.stringify({ before, after }));`,
    ].join('\n');
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let bytes = 0;
    let err = '';
    child.stdout.on('data', (b: Buffer) => (bytes += b.length));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(code, err).toBe(0);
    // Node made it non-blocking (else this test shows nothing); Output made it blocking; every byte arrived.
    expect(JSON.parse(err)).toEqual({ before: true, after: false });
    expect(bytes).toBe((1 << 20) + 1);
  });
});
