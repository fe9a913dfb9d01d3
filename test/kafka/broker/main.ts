// Run the test broker by hand: `npx vite-node test/kafka/broker/main.ts [port]` (default 19092), then point
// bgpcap or kcat at 127.0.0.1:PORT. LOG=1 prints every request. Ctrl-C stops it.
import { TestBroker } from './broker.js';

const port = Number(process.argv[2] ?? 19092);
const b = new TestBroker({ port, ...(process.env['LOG'] ? { log: (l: string) => process.stderr.write(`${l}\n`) } : {}) });
await b.start();
process.stderr.write(`test broker listening on ${b.address}\n`);
