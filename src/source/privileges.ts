// Giving up root before touching untrusted packets, as `tcpdump -Z user` does.
//
// bgpcap live runs as two processes: the capture process opens the interfaces (root or CAP_NET_RAW) and copies
// packets, unparsed, into a pipe and the --write files; it keeps its privileges only to re-open an interface
// that went away and came back. The decoder process — the one that parses packets, TCP and BGP — loads its code
// as root (the checkout may not be readable by `nobody`), then drops to the user here before it reads the first
// packet, and checks that root cannot be regained.

import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';

export interface DropTarget {
  user: string;
  uid: number;
  gid: number;
}

/** A user from passwd(5) text by name or numeric uid; UsageError when there is none. */
export function lookupUser(nameOrUid: string, passwd?: string): DropTarget {
  let text = passwd;
  if (text === undefined) {
    try {
      text = readFileSync('/etc/passwd', 'utf8');
    } catch (e) {
      throw new UsageError(`--user ${nameOrUid}: cannot read /etc/passwd (${(e as Error).message})`);
    }
  }
  const numeric = /^[0-9]+$/.test(nameOrUid);
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f.length < 4 || line.startsWith('#')) continue;
    if (numeric ? f[2] === nameOrUid : f[0] === nameOrUid) {
      const uid = Number(f[2]);
      const gid = Number(f[3]);
      if (!Number.isInteger(uid) || !Number.isInteger(gid)) continue;
      return { user: f[0]!, uid, gid };
    }
  }
  throw new UsageError(`--user ${nameOrUid}: no such user (bgpcap drops root privileges to it after opening the interfaces; see --no-drop-privileges)`);
}

export interface DropResult {
  uid: number;
  gid: number;
  groups: number[];
}

/**
 * Become `t` for good: supplementary groups from /etc/group (initgroups, falling back to just the user's group),
 * then gid, then uid — in that order, since after setuid the others are no longer allowed. Throws when any step
 * fails or when root can be regained afterwards.
 */
export function dropPrivileges(t: DropTarget): DropResult {
  if (typeof process.setuid !== 'function' || typeof process.setgid !== 'function') {
    throw new Error('this platform cannot change the user id');
  }
  const initgroups = (process as { initgroups?: (user: string, gid: number) => void }).initgroups;
  try {
    if (initgroups === undefined) throw new Error('no initgroups');
    initgroups.call(process, t.user, t.gid);
  } catch {
    process.setgroups!([t.gid]);
  }
  process.setgid(t.gid);
  process.setuid(t.uid);
  if (process.getuid!() !== t.uid || process.geteuid!() !== t.uid || process.getgid!() !== t.gid || process.getegid!() !== t.gid) {
    throw new Error(`changing to ${t.user} (${t.uid}:${t.gid}) did not take effect`);
  }
  if (t.uid !== 0) {
    let regained = false;
    try {
      process.setuid(0);
      regained = true;
    } catch {
      // expected: EPERM
    }
    if (regained) throw new Error('root privileges could be regained after dropping them');
  }
  return { uid: process.getuid!(), gid: process.getgid!(), groups: process.getgroups!() };
}
