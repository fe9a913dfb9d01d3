// Observed state from capture files: every file through the same pipeline as `bgpcap read`, records into an
// Observer. A file named `<mux>.<tapN>[.<seq>].pcap` (bgpcap live --write, the client's measure-catchments
// scripts) labels its packets with the mux and interface; a pcapng names its interfaces itself; otherwise the mux is
// told from the session's addresses (observed.ts).
//
// Rotated files of one capture must be read in order (TCP reassembly carries over), so files with a sequence number
// are sorted per mux; connections are keyed by interface too, since two taps can carry the same addresses.

import { Pipeline } from '../pipeline.js';
import { labelsFromCaptureName } from '../peering/capture-names.js';
import { CaptureError } from '../source/errors.js';
import { readCapture } from '../source/open.js';
import type { MuxDirectory, Observer } from './observed.js';

export interface FileProblem {
  file: string;
  /** The mux the file name says, if any. */
  mux: string | null;
  message: string;
}

export interface ObserveFilesOptions {
  ports: ReadonlySet<number>;
}

/** Files in reading order: rotated pieces of one interface's capture by sequence number, the rest as given. */
export function orderFiles(files: readonly string[]): string[] {
  const groupOf = (f: string, i: number): string => {
    const l = labelsFromCaptureName(f);
    return l === null ? `#${i}` : `${l.mux}.${l.iface}`;
  };
  const firstSeen = new Map<string, number>();
  const items = files.map((f, i) => {
    const g = groupOf(f, i);
    if (!firstSeen.has(g)) firstSeen.set(g, i);
    return { f, i, g, seq: labelsFromCaptureName(f)?.seq ?? -1 };
  });
  // Groups in order of first appearance; inside a group by sequence number, then as given.
  items.sort((a, b) => firstSeen.get(a.g)! - firstSeen.get(b.g)! || a.seq - b.seq || a.i - b.i);
  return items.map((x) => x.f);
}

export async function observeFiles(files: readonly string[], obs: Observer, dir: MuxDirectory, opts: ObserveFilesOptions): Promise<FileProblem[]> {
  const problems: FileProblem[] = [];
  const muxByIface = new Map<string, string>(dir.byIface);
  const pipeline = new Pipeline((r) => obs.record(r), {
    ports: opts.ports,
    muxOf: (iface) => (iface === null ? null : (muxByIface.get(iface) ?? null)),
    reassembly: { keyByIface: true },
  });
  for (const file of orderFiles(files)) {
    const labels = labelsFromCaptureName(file);
    if (labels !== null) muxByIface.set(labels.iface, labels.mux);
    const tap = labels?.iface ?? null;
    const mux = labels?.mux ?? null;
    pipeline.beginFile(file);
    try {
      await readCapture(file, (f) => {
        if (f.iface === null) f.iface = tap;
        obs.packet(f.iface, mux, f.ts.sec + f.ts.nsec / 1e9);
        pipeline.frame(f);
      });
    } catch (e) {
      if (e instanceof CaptureError) {
        problems.push({ file, mux, message: `${e.message} (at byte ${e.offset}): the UPDATEs after that point are missing` });
      } else if (e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string') {
        const code = (e as NodeJS.ErrnoException).code;
        problems.push({ file, mux, message: code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : `${code}: ${e.message}` });
      } else {
        throw e;
      }
    }
  }
  pipeline.end();
  obs.finish();
  return problems;
}
