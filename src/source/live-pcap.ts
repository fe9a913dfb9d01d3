// Live capture through npm `pcap` (node_pcap 3.1): kernel timestamps, drop counters, TPACKET_V3 ring.
//
// How node_pcap behaves, from its pcap_session.cc, and what this adapter does about it:
//   - buffer_timeout > 0 sets pcap_set_timeout and leaves immediate mode off, so libpcap 1.10 uses TPACKET_V3:
//     a ring of 256 KiB blocks holding packets at their own length, a block handed over when it is full or
//     when the timeout has passed since it was opened. buffer_timeout 0 would select pcap_set_immediate_mode,
//     for which libpcap uses TPACKET_V2: fixed slots as large as the snapshot length whenever the interface has
//     an offload on (tap devices have GSO), so with the default 262144-byte snaplen a 64 MiB buffer has ~255
//     slots. The timeout is the trade: a packet may wait in the kernel up to BLOCK_TIMEOUT_MS, and the ring
//     (256 blocks at 64 MiB) lasts about 256 × the timeout while the capture process gets no CPU. Measured in
//     the lab (test/lab) with a full table at ~250k routes/s over the tunnel, the capture process stopped with
//     SIGSTOP: V2 at 262144 lost 4,297 packets to a 300 ms stop; V3 with 1 ms lost 4,172 to a 600 ms stop;
//     with 5 ms nothing was lost to 1.5 s, with 10 ms nothing to 3 s (--buffer-size scales these);
//   - a libuv poll on the capture fd calls `session.read_callback`, which runs pcap_dispatch until the ring is
//     empty, one 'packet' event per packet with the packet in one reused buffer and a 16-byte header
//     (tv_sec, tv_usec, caplen, len in host byte order);
//   - when the socket reports an error (interface deleted or set down) libuv stops the poll for good and the
//     dispatch returns -1 or 0: the handle never delivers again even if the interface comes back, so the
//     capture process re-opens it (live.ts), and read_callback is replaced here to see the -1;
//   - close() only sets pcap_breakloop; the handle is released by the next dispatch (it returns -2), so close
//     runs one more dispatch. Calling dispatch after that release would crash, so the adapter never does.

import { createRequire } from 'node:module';
import { endianness } from 'node:os';
import {
  BackendUnavailable,
  CaptureOpenError,
  classifyOpenError,
  linkTypeNumber,
  type CaptureCounters,
  type CaptureHandle,
  type LiveBackend,
  type OpenOptions,
} from './live-backend.js';

/** The parts of node_pcap used here (its own typings pull in @types/node 10). */
interface NodePcapSession {
  link_type: string;
  buf: Buffer;
  header: Buffer;
  session: {
    read_callback: () => void;
    dispatch(buf: Buffer, header: Buffer): number;
  };
  on(ev: 'packet', f: () => void): void;
  close(): void;
  stats(): { ps_recv: number; ps_drop: number; ps_ifdrop: number };
}

interface NodePcap {
  createSession(
    device: string,
    o: { filter: string; buffer_size: number; snap_length: number; buffer_timeout: number; promiscuous: boolean },
  ): NodePcapSession;
  warningHandler: (x: string) => void;
  lib_version: string;
}

let loaded: NodePcap | null = null;

function load(): NodePcap {
  if (loaded !== null) return loaded;
  try {
    loaded = createRequire(import.meta.url)('pcap') as NodePcap;
  } catch (e) {
    const why = (e as Error).message.split('\n')[0];
    throw new BackendUnavailable(
      `live capture needs the native npm package pcap, which is not available here (${why}); install it with: apt-get install libpcap-dev && npm rebuild pcap`,
    );
  }
  // pcap_lookupnet fails on interfaces without IPv4 (an IPv6-only tap); node_pcap reports that on stdout.
  loaded.warningHandler = () => {};
  return loaded;
}

const LE = endianness() === 'LE';

/**
 * TPACKET_V3 block timeout (see above): at most this long in the kernel per packet, 10 % of the 50 ms the
 * issue allows from capture to stdout, for 1.5 s of stall tolerance with the default 64 MiB buffer.
 */
const BLOCK_TIMEOUT_MS = 5;

class PcapHandle implements CaptureHandle {
  readonly linkType: number;
  readonly holdMs = BLOCK_TIMEOUT_MS;
  private closed = false;
  private failed = false;
  /** The handle was given back to libpcap (dispatch returned -2): it must never be dispatched again. */
  private released = false;
  /** node_pcap dispatches once on the next tick after opening; until then that dispatch will release a closed handle. */
  private kicked = false;

  constructor(
    private readonly s: NodePcapSession,
    readonly snaplen: number,
    private readonly o: OpenOptions,
  ) {
    this.linkType = linkTypeNumber(s.link_type);
    const h = s.header;
    const buf = s.buf;
    const onPacket = o.onPacket;
    s.on('packet', () => {
      const sec = LE ? h.readUInt32LE(0) : h.readUInt32BE(0);
      const usec = LE ? h.readUInt32LE(4) : h.readUInt32BE(4);
      const caplen = LE ? h.readUInt32LE(8) : h.readUInt32BE(8);
      const len = LE ? h.readUInt32LE(12) : h.readUInt32BE(12);
      onPacket(sec, usec, buf, Math.min(caplen, buf.length), len);
    });
    s.session.read_callback = () => this.dispatch();
    process.nextTick(() => {
      this.kicked = true;
    });
  }

  private dispatch(): void {
    if (this.released || this.failed) return;
    const r = this.s.session.dispatch(this.s.buf, this.s.header);
    if (r === -2) {
      this.released = true;
    } else if (r === -1) {
      this.failed = true;
      if (!this.closed) this.o.onError('the capture reported an error (interface gone or down)');
    }
  }

  drain(): void {
    if (!this.closed) this.dispatch();
  }

  stats(): CaptureCounters | null {
    if (this.closed) return null;
    try {
      const st = this.s.stats();
      return { received: st.ps_recv, droppedKernel: st.ps_drop, droppedIface: st.ps_ifdrop };
    } catch {
      return null;
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      // pcap_breakloop; the next dispatch returns -2 and releases the handle (and its poll). Until node_pcap's
      // own first dispatch has run, that one does it, and a second would touch a released handle.
      this.s.close();
      if (this.kicked) this.dispatch();
      else this.released = true;
    } catch {
      // closing a broken handle: nothing more to do
    }
  }
}

export const pcapBackend: LiveBackend = {
  name: 'pcap',
  kernelTimestamps: true,
  open(iface: string, o: OpenOptions): CaptureHandle {
    const pcap = load();
    let s: NodePcapSession;
    try {
      s = pcap.createSession(iface, {
        filter: o.filter,
        buffer_size: o.bufferSize,
        snap_length: o.snaplen,
        buffer_timeout: BLOCK_TIMEOUT_MS,
        promiscuous: o.promiscuous,
      });
    } catch (e) {
      const msg = (e as Error).message;
      throw new CaptureOpenError(msg, classifyOpenError(msg));
    }
    return new PcapHandle(s, o.snaplen, o);
  },
};

/** Load the library now (to report a missing one before anything else happens). */
export function loadPcap(): void {
  load();
}
