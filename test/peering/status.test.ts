// Tunnel state from every source: a fake /sys/class/net, fake OpenVPN management and BIRD control sockets
// that speak the documented protocols (OpenVPN doc/management-notes.txt; BIRD's CLI reply codes), and the
// `bgpcap peering status` command on such a checkout.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { birdShowProtocols, parseShowProtocols } from '../../src/peering/bird-ctl.js';
import { parseOpenvpnState, queryOpenvpnState } from '../../src/peering/openvpn-mgmt.js';
import { peeringStatus } from '../../src/peering/status.js';
import { ifaceState } from '../../src/source/iface-state.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'dist/cli.js');
const tmp = mkdtempSync(join(tmpdir(), 'bgpcap-status-'));
const servers: Server[] = [];
afterAll(() => {
  for (const s of servers) s.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** A Unix-socket server that greets, then answers each line with a canned reply. */
function fakeDaemon(path: string, greeting: string, answer: (line: string) => string): Promise<string[]> {
  const seen: string[] = [];
  return new Promise((resolve) => {
    const srv = createServer((c) => {
      c.setEncoding('utf8');
      c.write(greeting);
      let buf = '';
      c.on('data', (d: string) => {
        buf += d;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          seen.push(line);
          const a = answer(line);
          if (a === '') c.end();
          else c.write(a);
        }
      });
      c.on('error', () => {});
    });
    servers.push(srv);
    srv.listen(path, () => resolve(seen));
  });
}

// BIRD 2.0.12 `show protocols` as the lab's client instance printed it.
const BIRD_REPLY = [
  '2002-Name       Proto      Table      State  Since         Info',
  '1002-device1    Device     ---        up     11:12:10.806  ',
  ' direct1    Direct     ---        up     11:12:10.806  ',
  ' amsterdam01 BGP        ---        up     11:12:11.563  Established   ',
  ' seattle01  BGP        ---        start  2026-11-21 11:12:11  Active        Socket: Connection refused',
  '0000 ',
  '',
].join('\n');

describe('BIRD control socket', () => {
  it('parses protocol lines and continuation lines', () => {
    const p = parseShowProtocols(BIRD_REPLY.split('\n'));
    expect(p.get('amsterdam01')).toMatchObject({ proto: 'BGP', state: 'up', bgpState: 'Established' });
    expect(p.get('seattle01')).toMatchObject({ state: 'start', bgpState: 'Active', info: 'Active Socket: Connection refused' });
    expect(p.get('device1')?.bgpState).toBeNull();
  });

  it('talks to a daemon: waits for 0001, sends the command, reads to the final code', async () => {
    const sock = join(tmp, 'bird.ctl');
    const seen = await fakeDaemon(sock, '0001 BIRD 2.0.12 ready.\n', (l) => (l === 'show protocols' ? BIRD_REPLY : '9001 syntax error\n'));
    const p = await birdShowProtocols(sock);
    expect(seen).toEqual(['show protocols']);
    expect(p.get('amsterdam01')?.bgpState).toBe('Established');
  });

  it('gives up after the timeout on a daemon that never answers', async () => {
    const sock = join(tmp, 'silent.ctl');
    await fakeDaemon(sock, '', () => '');
    await expect(birdShowProtocols(sock, 200)).rejects.toThrow(/200 ms/);
  });
});

describe('OpenVPN management socket', () => {
  const STATE = '1795259000,CONNECTED,SUCCESS,100.69.128.2,172.31.5.2,1194,172.31.5.1,40001,2804:269c:ff00:5:2::2\nEND\n';
  it('parses the state line (management-notes.txt field order)', () => {
    expect(parseOpenvpnState(['>INFO:x', STATE.split('\n')[0]!, 'END'])).toEqual({
      state: 'CONNECTED',
      since: 1795259000,
      localIpv4: '100.69.128.2',
      remote: '172.31.5.2',
      localIpv6: '2804:269c:ff00:5:2::2',
    });
  });

  it('asks `state`, skips notifications, and says `quit`', async () => {
    const sock = join(tmp, 'amsterdam01.sock');
    const seen = await fakeDaemon(sock, ">INFO:OpenVPN Management Interface Version 5 -- type 'help' for more info\n", (l) =>
      l === 'state' ? `>LOG:1795259000,I,noise\n${STATE}` : '',
    );
    const st = await queryOpenvpnState(sock);
    expect(st?.state).toBe('CONNECTED');
    await new Promise((r) => setTimeout(r, 50));
    expect(seen).toEqual(['state', 'quit']);
  });
});

/** A fake /sys/class/net entry. */
function sysIface(sysRoot: string, name: string, ifindex: number, flags: string): void {
  const d = join(sysRoot, name);
  mkdirSync(d, { recursive: true });
  writeFileSync(join(d, 'ifindex'), `${ifindex}\n`);
  writeFileSync(join(d, 'flags'), `${flags}\n`);
  writeFileSync(join(d, 'operstate'), 'unknown\n');
  writeFileSync(join(d, 'carrier_changes'), '2\n');
}

describe('peering status', () => {
  const dir = join(tmp, 'client');
  const sysRoot = join(tmp, 'sys');
  mkdirSync(join(dir, 'var'), { recursive: true });
  mkdirSync(join(dir, 'configs', 'bird'), { recursive: true });
  writeFileSync(join(dir, 'var', 'mux2dev.txt'), 'amsterdam01 tap5\nseattle01 tap1\nufmg01 tap7\nisi01 tap2\n');
  // amsterdam01: up everywhere. seattle01: killed without its down script. ufmg01: down. isi01: tap set down.
  writeFileSync(join(dir, 'var', 'amsterdam01.updown'), 'up 100.69.128.2 2804:269c:ff00:5:2::2\n');
  writeFileSync(join(dir, 'var', 'seattle01.updown'), 'up 100.65.128.2 2804:269c:ff00:1:2::2\n');
  writeFileSync(join(dir, 'var', 'ufmg01.updown'), 'down\n');
  writeFileSync(join(dir, 'configs', 'bird', 'bird.conf'), 'protocol bgp amsterdam01 from peering { neighbor 100.69.128.9 as 47065; }\n');
  sysIface(sysRoot, 'tap5', 12, '0x1003');
  sysIface(sysRoot, 'tap2', 13, '0x1002');

  it('reads the interface from sysfs', () => {
    expect(ifaceState('tap5', sysRoot)).toEqual({ present: true, ifindex: 12, up: true, operstate: 'unknown', carrierChanges: 2 });
    expect(ifaceState('tap2', sysRoot).up).toBe(false);
    expect(ifaceState('tap1', sysRoot).present).toBe(false);
    expect(ifaceState('../etc', sysRoot).present).toBe(false);
  });

  it('combines the sources; the interface decides, disagreements are notes', async () => {
    const st = await peeringStatus(dir, { sockets: false, sysRoot });
    const by = new Map(st.muxes.map((m) => [m.mux, m]));
    expect([...by.keys()]).toEqual(['amsterdam01', 'isi01', 'seattle01', 'ufmg01']);
    expect(by.get('amsterdam01')).toMatchObject({ tap: 'tap5', up: true, notes: [], neighbor4: '100.69.128.9', neighbor6: '2804:269c:ff00:5:1::1' });
    expect(by.get('seattle01')).toMatchObject({ up: false, neighbor4: '100.65.128.1' });
    expect(by.get('seattle01')!.notes).toEqual(['var/seattle01.updown says up but tap1 does not exist']);
    expect(by.get('ufmg01')).toMatchObject({ up: false, notes: [] });
    expect(by.get('isi01')).toMatchObject({ up: false, notes: ['tap2 is administratively down'] });
  });

  it('bgpcap peering status prints JSON and a table; a wrong directory is a usage error', () => {
    const j = spawnSync(process.execPath, [cli, 'peering', 'status', '--peering', dir, '--json', '--no-sockets'], { encoding: 'utf8' });
    expect(j.status).toBe(0);
    const out = JSON.parse(j.stdout) as { source: string; muxes: { mux: string; tap: string; up: boolean; seen: unknown }[] };
    expect(out.source).toBe('var/mux2dev.txt');
    expect(out.muxes.map((m) => `${m.mux} ${m.tap}`)).toEqual(['amsterdam01 tap5', 'isi01 tap2', 'seattle01 tap1', 'ufmg01 tap7']);
    expect(out.muxes.every((m) => m.seen === null)).toBe(true);
    const t = spawnSync(process.execPath, [cli, 'peering', 'status', '--peering', dir, '--no-sockets'], { encoding: 'utf8' });
    expect(t.status).toBe(0);
    expect(t.stdout.split('\n')[0]).toMatch(/^mux\s+tap\s+tunnel\s+openvpn\s+local addresses\s+bgp neighbors/);
    expect(t.stdout).toMatch(/seattle01\s+tap1\s+down/);
    const bad = spawnSync(process.execPath, [cli, 'peering', 'status', '--peering', join(tmp, 'nope')], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain('not a PEERING client directory');
  });
});
