// What the capture process needs from a packet-capture library, whichever it is (live-pcap.ts: npm `pcap`,
// node_pcap; live-cap.ts: npm `cap`). Both are optional native dependencies, loaded only when `bgpcap live`
// runs, so `npm ci` succeeds and `bgpcap read` works on a machine where they did not build.

export interface CaptureCounters {
  /** Packets the kernel passed to the capture (after the BPF filter). */
  received: number;
  /** Packets lost because the capture buffer was full (ps_drop). */
  droppedKernel: number;
  /** Packets the interface or its driver dropped (ps_ifdrop; 0 can also mean "not known"). */
  droppedIface: number;
}

/**
 * One packet: `data` is the library's reused buffer, valid only during the call. Timestamps in seconds and
 * microseconds (what libpcap delivers for live captures).
 */
export type PacketCallback = (sec: number, usec: number, data: Buffer, caplen: number, origLen: number) => void;

export interface OpenOptions {
  /** BPF expression (pcap-filter(7)); '' for everything. */
  filter: string;
  snaplen: number;
  /** Kernel capture buffer in bytes. */
  bufferSize: number;
  promiscuous: boolean;
  onPacket: PacketCallback;
  /** The capture failed (e.g. the interface went down); no more packets will come from this handle. */
  onError: (message: string) => void;
}

export interface CaptureHandle {
  /** LINKTYPE_* of the interface. */
  readonly linkType: number;
  readonly snaplen: number;
  /**
   * Longest a captured packet can wait in the kernel before it can be read (the TPACKET_V3 block timeout,
   * live-pcap.ts); 0 when each packet can be read at once. Stopping waits this long before the last drain().
   */
  readonly holdMs: number;
  /** Deliver whatever the kernel holds now (a safety net for lost wake-ups, and before closing). */
  drain(): void;
  /** Kernel counters since the handle was opened, null when the library has none. */
  stats(): CaptureCounters | null;
  close(): void;
}

export interface LiveBackend {
  readonly name: 'pcap' | 'cap';
  /** Whether packets carry the kernel's capture time (else the time they reached bgpcap). */
  readonly kernelTimestamps: boolean;
  /** Throws CaptureOpenError. */
  open(iface: string, o: OpenOptions): CaptureHandle;
}

/** The native library is missing or did not build. */
export class BackendUnavailable extends Error {
  override readonly name = 'BackendUnavailable';
}

export class CaptureOpenError extends Error {
  override readonly name = 'CaptureOpenError';
  constructor(
    message: string,
    readonly kind: 'permission' | 'no-device' | 'filter' | 'other',
  ) {
    super(message);
  }
}

/** Sort a library's error text into what the user must do about it. */
export function classifyOpenError(message: string): CaptureOpenError['kind'] {
  if (/permission|not permitted|EPERM|EACCES/i.test(message)) return 'permission';
  if (/no such device|doesn't exist|does not exist|SIOCGIF|ENODEV|ENXIO/i.test(message)) return 'no-device';
  if (/syntax error|can't parse filter|filter expression|illegal token|unknown host/i.test(message)) return 'filter';
  return 'other';
}

/**
 * LINKTYPE_* number from the names the libraries return (node_pcap: `LINKTYPE_ETHERNET`; cap: `ETHERNET`;
 * both: `Unknown linktype N` with the DLT number, equal to the LINKTYPE for every type above 104).
 */
export function linkTypeNumber(name: string): number {
  const n = name.replace(/^LINKTYPE_/, '');
  switch (n) {
    case 'NULL':
      return 0;
    case 'ETHERNET':
      return 1;
    case 'RAW':
      return 101;
    case 'IEEE802_11_RADIO':
      return 127;
    case 'LINUX_SLL':
      return 113;
  }
  const m = /Unknown linktype (-?[0-9]+)/.exec(name);
  return m === null ? -1 : Number(m[1]);
}

export const INSTALL_HINT = 'apt-get install libpcap-dev && npm rebuild pcap cap';
