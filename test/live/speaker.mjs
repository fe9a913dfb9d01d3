// A minimal BGP speaker for the live-capture tests: plain TCP on port 179 (or --port), hand-written messages.
// Not a BGP implementation: it sends what it is told and reads whatever comes back.
//
//   node speaker.mjs listen <ip> [port]             accept connections; answer each with OPEN + KEEPALIVE
//   node speaker.mjs send <ip> [port] <hex>...      connect, send each hex message with a pause, then close
//
// Message bytes (RFC 4271 §4): 16 × 0xff marker, 2-byte length, 1-byte type, body.
import { createServer, connect } from 'node:net';

const MARKER = 'ff'.repeat(16);
export function msg(type, bodyHex) {
  const len = 19 + bodyHex.length / 2;
  return MARKER + len.toString(16).padStart(4, '0') + type.toString(16).padStart(2, '0') + bodyHex;
}
// OPEN: version 4, My AS 65002 (fdea), hold time 90 (005a), BGP id 10.0.0.2, no optional parameters (RFC 4271 §4.2).
const OPEN_B = msg(1, '04' + 'fdea' + '005a' + '0a000002' + '00');
const KEEPALIVE = msg(4, '');

const [mode, ip, portArg, ...rest] = process.argv.slice(2);
const port = Number(portArg ?? 179);
if (mode === 'listen') {
  const srv = createServer((s) => {
    s.on('error', () => {});
    s.on('data', () => {});
    s.write(Buffer.from(OPEN_B + KEEPALIVE, 'hex'));
  });
  srv.listen(port, ip, () => process.stdout.write('listening\n'));
} else if (mode === 'send') {
  const s = connect({ host: ip, port }, async () => {
    for (const h of rest) {
      s.write(Buffer.from(h, 'hex'));
      await new Promise((r) => setTimeout(r, 20));
    }
    setTimeout(() => s.end(), 100);
  });
  s.on('data', () => {});
  s.on('error', (e) => {
    process.stderr.write(`speaker: ${e.message}\n`);
    process.exit(1);
  });
  s.on('close', () => process.exit(0));
}
