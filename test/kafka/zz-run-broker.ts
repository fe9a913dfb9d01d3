import { TestBroker } from './broker/broker.js';
const b = new TestBroker({ port: Number(process.env.PORT ?? 19092), log: process.env.LOG ? (l) => console.error(l) : undefined });
await b.start();
console.error('broker on', b.address);
process.on('SIGUSR1', () => { for (const [t] of b.topics) console.error(t, b.records(t).length); });
