// Heap bytes per registrar binding, measured in-process with forced GC (RSS from the rate
// benchmark also counts live transactions and V8's grown heap). Run:
//   node --expose-gc --import tsx bench/binding-memory.ts [bindings]
import { ManualClock } from '../src/core/clock.js';
import { parseMessage, isParseError, type SipRequest } from '../src/sip/message/index.js';
import { LocationService, MemoryBindingStore, type BindingStore, type Binding } from '../src/sip/registrar/index.js';
import type { InboundMessage } from '../src/sip/transport/index.js';

const count = Number(process.argv[2] ?? 20000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

/** Persistence is measured elsewhere: this store keeps nothing. */
const nullStore: BindingStore = { load: async () => [], save: async (_b: Binding) => {}, remove: async () => {} };
void MemoryBindingStore;

function register(i: number): SipRequest {
  const user = String(1000 + i);
  const port = 20000 + (i % 40000);
  const text = [
    `REGISTER sip:atende.local SIP/2.0`,
    `Via: SIP/2.0/UDP 10.${i >> 16 & 255}.${i >> 8 & 255}.${i & 255}:${port};branch=z9hG4bK-${i};rport=${port};received=127.0.0.1`,
    'Max-Forwards: 70',
    `From: <sip:${user}@atende.local>;tag=t${i}`,
    `To: <sip:${user}@atende.local>`,
    `Call-ID: ${i}-reg@10.0.0.1`,
    'CSeq: 2 REGISTER',
    `Contact: <sip:${user}@10.${i >> 16 & 255}.${i >> 8 & 255}.${i & 255}:${port};transport=udp>`,
    'Expires: 3600',
    'User-Agent: Yealink SIP-T46S 66.86.0.15',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  const m = parseMessage(Buffer.from(text));
  if (isParseError(m) || m.type !== 'request') throw new Error('bad fixture');
  return m;
}

const registrar = new LocationService({ clock: new ManualClock(), store: nullStore });
await registrar.start();
const inbound = (req: SipRequest, i: number): InboundMessage => ({
  message: req,
  source: { protocol: 'udp', address: '127.0.0.1', port: 20000 + (i % 40000) },
  local: { protocol: 'udp', address: '127.0.0.1', port: 5060 },
  receivedAt: 0,
});
// Requests are built before measuring: only what the registrar keeps counts.
gc();
const before = process.memoryUsage().heapUsed;
for (let i = 0; i < count; i++) {
  const req = register(i);
  const r = await registrar.processRegister(req, inbound(req, i), String(1000 + i));
  if (r.status !== 200) throw new Error(`REGISTER ${i}: ${r.status}`);
}
gc();
const after = process.memoryUsage().heapUsed;
console.log(`${registrar.count()} bindings: ${((after - before) / count).toFixed(0)} heap bytes per binding`);
registrar.close();
