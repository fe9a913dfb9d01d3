// The OpenVPN management interface of a tunnel (`management var/<mux>.sock unix` in the client's configs).
//
// OpenVPN doc/management-notes.txt: the server greets with `>INFO:OpenVPN Management Interface …`; `state`
// answers one line `unixtime,STATE,desc,local_tun_ipv4,remote_ip,remote_port,local_addr,local_port,local_ipv6`
// and `END`; lines starting with `>` are asynchronous notifications and can come at any time. Only one
// management client is served at a time and the client's own `peering openvpn status` uses the same socket,
// so the conversation is one command and a quick `quit`.

import { unixChat } from './unix-chat.js';

export interface OpenvpnState {
  /** CONNECTING, WAIT, AUTH, GET_CONFIG, ASSIGN_IP, ADD_ROUTES, CONNECTED, RECONNECTING, EXITING, … */
  state: string;
  /** Time of the last state change (epoch seconds). */
  since: number | null;
  localIpv4: string | null;
  remote: string | null;
  localIpv6: string | null;
}

/** The first `unixtime,STATE,…` line of a `state` reply, or null. */
export function parseOpenvpnState(lines: readonly string[]): OpenvpnState | null {
  for (const l of lines) {
    if (l.startsWith('>') || l === 'END') continue;
    const f = l.split(',');
    if (f.length < 2 || !/^[0-9]+$/.test(f[0]!)) continue;
    const s = (i: number): string | null => (f[i] === undefined || f[i] === '' ? null : f[i]!);
    return { state: f[1]!, since: Number(f[0]), localIpv4: s(3), remote: s(4), localIpv6: s(8) };
  }
  return null;
}

export async function queryOpenvpnState(sockPath: string, timeoutMs = 1000): Promise<OpenvpnState | null> {
  const lines = await unixChat(sockPath, {
    greeted: (g) => g.some((l) => l.startsWith('>INFO:')),
    command: 'state\n',
    done: (r) => r.some((l) => l === 'END' || l.startsWith('ERROR:')),
    bye: 'quit\n',
    timeoutMs,
  });
  return parseOpenvpnState(lines);
}
