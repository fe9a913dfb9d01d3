// Benchmark corpus generators: deterministic synthetic captures (no root needed). Each profile is a set of
// BGP sessions whose UPDATEs are segmented at MSS 1448 (messages span segments), with a few
// retransmissions and reorderings, written as classic pcap.
//
//   node bench/out/js/gen.js PROFILE OUT.pcap [UPDATES]
//
// Profiles: `bird` one prefix per UPDATE (as BIRD sends a full table), `packed` up to 20 prefixes per UPDATE.
import { createWriteStream } from 'node:fs';
import { PcapWriter, keepalive, masked, open, rng, update, v4, v6, writeConnection, type Prefix, type UpdateSpec } from './lib/synth.js';

export interface Profile {
  name: string;
  sessions: number;
  prefixesPerUpdate: [number, number];
  v6Share: number;
}

export const PROFILES: Record<string, Profile> = {
  bird: { name: 'bird', sessions: 4, prefixesPerUpdate: [1, 1], v6Share: 0.17 },
  packed: { name: 'packed', sessions: 4, prefixesPerUpdate: [1, 20], v6Share: 0.17 },
};

function concat(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Write the corpus; resolves with the number of UPDATE messages and prefixes written. */
export async function generate(p: Profile, file: string, updates: number, seed = 1): Promise<{ updates: number; prefixes: number }> {
  const r = rng(seed);
  const int = (n: number) => Math.floor(r() * n);
  const out = createWriteStream(file);
  let prefixes = 0;
  let t = 1_700_000_000_000_000;
  const perSession = Math.ceil(updates / p.sessions);
  for (let s = 0; s < p.sessions; s++) {
    const msgs: Uint8Array[] = [open({ asn: 64500 + s, bgpId: `10.0.0.${s + 1}`, families: [[1, 1], [2, 1]] }), keepalive()];
    for (let i = 0; i < perSession; i++) {
      const n = p.prefixesPerUpdate[0] + int(p.prefixesPerUpdate[1] - p.prefixesPerUpdate[0] + 1);
      const isV6 = r() < p.v6Share;
      const pf = (): Prefix =>
        isV6
          ? masked({ addr: [0x20, 0x01, int(256), int(256), int(256), int(256), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], len: 32 + int(17) })
          : masked({ addr: [1 + int(222), int(256), int(256), 0], len: 16 + int(9) });
      const pathLen = 1 + int(10);
      const path = Array.from({ length: pathLen }, (_, k) => (k === 0 ? 64500 + s : r() < 0.3 ? 4_200_000_000 + int(1_000_000) : 1 + int(64000)));
      if (r() < 0.2) path.splice(1, 0, path[0]!, path[0]!); // prepends
      const spec: UpdateSpec = {
        asPath: path,
        communities: Array.from({ length: int(6) }, () => [path[0]! & 0xffff, int(65536)] as [number, number]),
        largeCommunities: r() < 0.3 ? [[path[0]!, int(100), int(100)]] : [],
        nextHop: v4(`10.0.0.${s + 1}`),
        v6NextHop: v6(`2001:db8::${s + 1}`),
      };
      if (r() < 0.5) spec.med = int(1000);
      if (isV6) spec.v6Nlri = Array.from({ length: n }, pf);
      else spec.nlri = Array.from({ length: n }, pf);
      prefixes += n;
      msgs.push(update(spec));
    }
    const w = new PcapWriter();
    const a = { ip: v4(`10.0.0.${s + 1}`), port: 179, mac: [2, 0, 0, 0, 0, s + 1] };
    const b = { ip: v4('10.0.1.1'), port: 40000 + s, mac: [2, 0, 0, 0, 1, 1] };
    t = writeConnection(w, { a, b, isnA: int(2 ** 32), isnB: int(2 ** 32) }, concat(msgs), concat([open({ asn: 47065, bgpId: '10.0.1.1' }), keepalive()]), t, {
      mss: 1448,
      retransmitEvery: 997,
      swapEvery: 1009,
    });
    const parts = w.drain();
    if (s > 0) parts.shift(); // only the first session keeps the pcap file header
    for (const part of parts) if (!out.write(part)) await new Promise<void>((res) => out.once('drain', () => res()));
  }
  await new Promise<void>((res, rej) => out.end((e?: Error | null) => (e ? rej(e) : res())));
  return { updates: perSession * p.sessions, prefixes };
}

if (process.argv[1]?.endsWith('gen.js')) {
  const [name, file, count] = process.argv.slice(2);
  const p = name ? PROFILES[name] : undefined;
  if (!p || !file) {
    process.stderr.write(`usage: gen.js ${Object.keys(PROFILES).join('|')} OUT.pcap [UPDATES]\n`);
    process.exit(2);
  }
  const res = await generate(p, file, Number(count ?? 200_000));
  process.stdout.write(`${file}: ${res.updates} UPDATEs, ${res.prefixes} prefixes\n`);
}
