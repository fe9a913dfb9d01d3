// What the kernel says about a network interface, read from sysfs (no root needed, no netlink library):
//
//   /sys/class/net/<name>/ifindex          changes when the interface is deleted and created again (an OpenVPN
//                                          tunnel restarting without persist-tun creates a new tap)
//   /sys/class/net/<name>/flags            IFF_UP (0x1): administratively up
//   /sys/class/net/<name>/operstate        RFC 2863 state: up, down, unknown (taps often say unknown), …
//   /sys/class/net/<name>/carrier_changes  counts link transitions; a capture socket on Linux stops delivering
//                                          after the interface went down and up again (libuv stops polling a
//                                          socket that reported an error), so a change means: reopen
//
// sysfs shows the interfaces of the network namespace the process was in when it mounted /sys; `ip netns exec`
// remounts it, so inside a namespace this sees the namespace's interfaces.

import { networkInterfaces } from 'node:os';
import { readFileSync } from 'node:fs';

export const SYS_CLASS_NET = '/sys/class/net';

const IFF_UP = 0x1;

export interface IfaceState {
  present: boolean;
  ifindex: number | null;
  /** Administratively up (IFF_UP). */
  up: boolean;
  operstate: string | null;
  carrierChanges: number | null;
}

const ABSENT: IfaceState = { present: false, ifindex: null, up: false, operstate: null, carrierChanges: null };

function readSys(path: string): string | null {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
}

/** Interface names are at most 15 bytes and never contain '/' (a path component), checked before touching sysfs. */
export function isIfaceName(name: string): boolean {
  return name.length > 0 && name.length <= 15 && !name.includes('/') && name !== '.' && name !== '..';
}

export function ifaceState(name: string, root = SYS_CLASS_NET): IfaceState {
  if (!isIfaceName(name)) return ABSENT;
  const dir = `${root}/${name}`;
  const idx = readSys(`${dir}/ifindex`);
  if (idx === null) return ABSENT;
  const flags = readSys(`${dir}/flags`);
  const cc = readSys(`${dir}/carrier_changes`);
  return {
    present: true,
    ifindex: Number(idx),
    up: flags !== null && (parseInt(flags, 16) & IFF_UP) !== 0,
    operstate: readSys(`${dir}/operstate`),
    carrierChanges: cc === null ? null : Number(cc),
  };
}

/** Addresses of an interface in CIDR form (IPv4 first), from the OS; [] when it has none or does not exist. */
export function ifaceAddresses(name: string): string[] {
  const list = networkInterfaces()[name] ?? [];
  const v4 = list.filter((a) => a.family === 'IPv4').map((a) => a.cidr ?? a.address);
  const v6 = list.filter((a) => a.family === 'IPv6').map((a) => a.cidr ?? a.address);
  return [...v4, ...v6];
}
