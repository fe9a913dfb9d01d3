// Capture file names that carry their interface and PEERING mux: `<mux>.<tapN>.pcap`.
//
// The PEERING client's measurement scripts (utils/measure-catchments) save one file per tunnel named
// `$mux.$iface.pcap` and map the tap back to its mux through var/mux2dev.txt; `bgpcap live --write` uses the
// same convention, so `bgpcap read` can put the mux and interface back on every record of such a file.
//
// Forms recognised (a pcap file has no interface name of its own, unlike pcapng):
//   amsterdam01.tap5.pcap             one file per tunnel
//   amsterdam01.tap5.0003.pcap        the third file of a rotated capture (bgpcap live --rotate-*)
//   … .pcapng and … .gz               other containers of the same capture
// Only `tapN` interfaces are recognised: a dotted name such as `eth0.100.pcap` (a VLAN interface) must not be
// mistaken for mux `eth0`. Mux names are the client's file names in configs/openvpn/ (letters, digits, - and _).

const NAME_RE = /^([A-Za-z0-9_-]+)\.(tap[0-9]+)(?:\.([0-9]+))?\.(?:pcap|pcapng)(?:\.gz)?$/;

export interface CaptureLabels {
  mux: string;
  iface: string;
  /** Rotation sequence number, null for the unrotated form. */
  seq: number | null;
}

/** The mux and interface a capture file's name carries, or null when it does not follow the convention. */
export function labelsFromCaptureName(path: string): CaptureLabels | null {
  const slash = path.lastIndexOf('/');
  const m = NAME_RE.exec(slash < 0 ? path : path.slice(slash + 1));
  if (m === null) return null;
  return { mux: m[1]!, iface: m[2]!, seq: m[3] === undefined ? null : Number(m[3]) };
}

/** Digits of a rotation sequence number (more are used past 9999, so names still sort until then). */
export const SEQ_DIGITS = 4;

/**
 * The file name (no directory) for a capture of `iface`: `<mux>.<iface>.pcap`, or `<iface>.pcap` when the mux
 * is unknown; with a rotation sequence number `<mux>.<iface>.0001.pcap`.
 */
export function captureFileName(mux: string | null, iface: string, seq: number | null): string {
  const base = mux === null ? iface : `${mux}.${iface}`;
  return seq === null ? `${base}.pcap` : `${base}.${String(seq).padStart(SEQ_DIGITS, '0')}.pcap`;
}
