// Live capture through npm `cap` 0.2 (`--backend cap`), the alternative to node_pcap.
//
// What cap gives and does not (its src/binding.cc): immediate mode on Linux, a fixed snaplen of 65535, one
// 'packet' event per packet with the copied length and a truncation flag — but no capture timestamp (packets are
// stamped here when they reach JavaScript, to the microsecond but later than the kernel saw them), no length on
// the wire (the copied length stands in) and no drop counters. Its poll callback asserts that libuv reported no
// error, so when a captured interface is deleted the whole process aborts: use the default backend (pcap) where
// tunnels come and go.

import { createRequire } from 'node:module';
import {
  BackendUnavailable,
  CaptureOpenError,
  classifyOpenError,
  linkTypeNumber,
  type CaptureHandle,
  type LiveBackend,
  type OpenOptions,
} from './live-backend.js';

interface CapInstance {
  open(device: string, filter: string, bufSize: number, buffer: Buffer): string;
  on(ev: 'packet', f: (nbytes: number, truncated: boolean) => void): void;
  close(): void;
}

interface CapModule {
  Cap: new () => CapInstance;
}

/** cap's fixed snapshot length. */
export const CAP_SNAPLEN = 65535;

let loaded: CapModule | null = null;

function load(): CapModule {
  if (loaded !== null) return loaded;
  try {
    loaded = createRequire(import.meta.url)('cap') as CapModule;
  } catch (e) {
    const why = (e as Error).message.split('\n')[0];
    throw new BackendUnavailable(
      `--backend cap needs the native npm package cap, which is not available here (${why}); install it with: apt-get install libpcap-dev && npm rebuild cap`,
    );
  }
  return loaded;
}

class CapHandle implements CaptureHandle {
  readonly snaplen = CAP_SNAPLEN;
  /** cap opens in immediate mode: a packet can be read as soon as it is captured. */
  readonly holdMs = 0;
  private closed = false;

  constructor(
    private readonly c: CapInstance,
    readonly linkType: number,
    buf: Buffer,
    o: OpenOptions,
  ) {
    const onPacket = o.onPacket;
    const origin = performance.timeOrigin;
    c.on('packet', (nbytes: number, truncated: boolean) => {
      const t = origin + performance.now(); // ms since the epoch, sub-millisecond precision
      const sec = Math.floor(t / 1000);
      const usec = Math.min(999_999, Math.floor((t - sec * 1000) * 1000));
      // A truncated packet's real length is unknown; one more than kept marks it as cut.
      onPacket(sec, usec, buf, nbytes, truncated ? nbytes + 1 : nbytes);
    });
  }

  drain(): void {
    // cap reads on its own poll; it has no call to read now.
  }

  stats(): null {
    return null;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.c.close();
    } catch {
      // already closed
    }
  }
}

export const capBackend: LiveBackend = {
  name: 'cap',
  kernelTimestamps: false,
  open(iface: string, o: OpenOptions): CaptureHandle {
    const { Cap } = load();
    const c = new Cap();
    const buf = Buffer.alloc(CAP_SNAPLEN);
    let lt: string;
    try {
      lt = c.open(iface, o.filter, o.bufferSize, buf);
    } catch (e) {
      const msg = (e as Error).message;
      throw new CaptureOpenError(msg, classifyOpenError(msg));
    }
    return new CapHandle(c, linkTypeNumber(lt), buf, o);
  },
};

export function loadCap(): void {
  load();
}
