// Test helper: run tshark on a capture and return every BGP message that sits whole inside one TCP
// segment, with tshark's own dissection (PDML tree) of it. TCP reassembly is switched off so that tshark's
// byte positions are frame positions; a message cut by a segment boundary is skipped (reassembly is tested
// elsewhere). tshark is the independent reference decoder here.

import { execFileSync } from 'node:child_process';

export interface PdmlNode {
  tag: string;
  name: string;
  show: string;
  showname: string;
  pos: number;
  size: number;
  value: string;
  children: PdmlNode[];
}

export interface TsharkMessage {
  frame: number;
  /** "ip:port>ip:port" of the segment. */
  flow: string;
  bytes: Uint8Array;
  /** The <proto name="bgp"> node of this message. */
  node: PdmlNode;
}

let tsharkOk: boolean | null = null;
export function hasTshark(): boolean {
  if (tsharkOk === null) {
    try {
      execFileSync('tshark', ['--version'], { stdio: 'ignore' });
      tsharkOk = true;
    } catch {
      tsharkOk = false;
    }
  }
  return tsharkOk;
}

function unescapeXml(s: string): string {
  return s.replace(/&(quot|amp|lt|gt|apos|#x[0-9a-fA-F]+|#[0-9]+);/g, (_m, e: string) => {
    if (e === 'quot') return '"';
    if (e === 'amp') return '&';
    if (e === 'lt') return '<';
    if (e === 'gt') return '>';
    if (e === 'apos') return "'";
    return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
  });
}

function parsePdml(xml: string): PdmlNode[] {
  const root: PdmlNode = { tag: 'root', name: '', show: '', showname: '', pos: 0, size: 0, value: '', children: [] };
  const stack: PdmlNode[] = [root];
  const tagRe = /<(\/?)(packet|proto|field)\b([^>]*?)(\/?)>/g;
  const attrRe = /(\w+)="([^"]*)"/g;
  for (let m = tagRe.exec(xml); m !== null; m = tagRe.exec(xml)) {
    const [, closing, tag, attrs, selfClosing] = m;
    if (closing) {
      stack.pop();
      continue;
    }
    const a: Record<string, string> = {};
    for (let am = attrRe.exec(attrs!); am !== null; am = attrRe.exec(attrs!)) a[am[1]!] = unescapeXml(am[2]!);
    const node: PdmlNode = {
      tag: tag!,
      name: a.name ?? '',
      show: a.show ?? '',
      showname: a.showname ?? '',
      pos: Number(a.pos ?? 0),
      size: Number(a.size ?? 0),
      value: a.value ?? '',
      children: [],
    };
    stack[stack.length - 1]!.children.push(node);
    if (!selfClosing) stack.push(node);
  }
  return root.children;
}

/** Every descendant of `n` named `name`, in document order. */
export function findAll(n: PdmlNode, name: string, out: PdmlNode[] = []): PdmlNode[] {
  for (const c of n.children) {
    if (c.name === name) out.push(c);
    findAll(c, name, out);
  }
  return out;
}

export function find(n: PdmlNode, name: string): PdmlNode | undefined {
  return findAll(n, name)[0];
}

function hexBytes(h: string): Uint8Array {
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return out;
}

const pdmlCache = new Map<string, PdmlNode[]>();

function packets(file: string): PdmlNode[] {
  let p = pdmlCache.get(file);
  if (p === undefined) {
    const xml = execFileSync('tshark', ['-r', file, '-o', 'tcp.desegment_tcp_streams:FALSE', '-Y', 'bgp', '-T', 'pdml'], {
      encoding: 'utf8',
      maxBuffer: 1 << 30,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    p = parsePdml(xml);
    pdmlCache.set(file, p);
  }
  return p;
}

/**
 * The BGP messages of `file`, in capture order. By default only those that sit whole in one segment;
 * with `clipped`, also messages cut by the end of their segment (bytes as far as the segment goes).
 */
export function tsharkMessages(file: string, clipped = false): TsharkMessage[] {
  const out: TsharkMessage[] = [];
  for (const pkt of packets(file)) {
    const frameProto = pkt.children.find((c) => c.name === 'frame');
    const frame = Number(frameProto ? find(frameProto, 'frame.number')?.show : 0);
    const payload = findAll(pkt, 'tcp.payload')[0];
    if (!payload) continue;
    const src = find(pkt, 'ip.src') ?? find(pkt, 'ipv6.src');
    const dst = find(pkt, 'ip.dst') ?? find(pkt, 'ipv6.dst');
    const sport = find(pkt, 'tcp.srcport');
    const dport = find(pkt, 'tcp.dstport');
    const flow = `${src?.show}:${sport?.show}>${dst?.show}:${dport?.show}`;
    const pbytes = hexBytes(payload.value);
    for (const proto of pkt.children) {
      if (proto.tag !== 'proto' || proto.name !== 'bgp') continue;
      const off = proto.pos - payload.pos;
      if (off < 0 || off >= pbytes.length) continue;
      if (clipped) {
        out.push({ frame, flow, bytes: pbytes.slice(off, Math.min(pbytes.length, off + Math.max(proto.size, 19))), node: proto });
        continue;
      }
      if (off + proto.size > pbytes.length || proto.size < 19) continue;
      const bytes = pbytes.slice(off, off + proto.size);
      if (((bytes[16]! << 8) | bytes[17]!) !== bytes.length) continue; // cut by the segment end
      out.push({ frame, flow, bytes, node: proto });
    }
  }
  return out;
}

/** Every TCP payload tshark shows BGP in, whole. */
export function tcpPayloads(file: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const pkt of packets(file)) {
    const payload = findAll(pkt, 'tcp.payload')[0];
    if (payload) out.push(hexBytes(payload.value));
  }
  return out;
}
