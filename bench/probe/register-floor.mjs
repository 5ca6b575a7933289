// The floor under Node's REGISTER rate on this machine: a UDP responder that does no SIP work
// beyond copying the five headers an answer needs. It challenges a REGISTER without
// Authorization (fixed nonce) and answers 200 to one with it, checking nothing.
//   node bench/probe/register-floor.mjs PORT
//   npx tsx bench/register-rate.ts --target 127.0.0.1:PORT --pid <its pid> --rates ...
//   npx tsx bench/register-cpu.ts --target 127.0.0.1:PORT --pid <its pid> --rates 4000
// Knobs (environment):
//   FLOOR_BURN_US=N   N µs of busy work per message before answering, standing for a registrar's
//                     JavaScript (the answer leaves that much later, as Atende's does);
//   FLOOR_BATCH=1     answers wait for the end of the loop turn and leave together;
//   FLOOR_CALLBACK=1  each send with a callback wrapped in a promise, as Atende sends;
//   FLOOR_BUFFERS=1   4 MB socket buffers, as Atende's.
// SIP run 14 in bench/RESULTS.md has what it measured.
import { createSocket } from 'node:dgram';

const port = Number(process.argv[2] ?? 5090);
const socket = process.env.FLOOR_BUFFERS
  ? createSocket({ type: 'udp4', recvBufferSize: 4 << 20, sendBufferSize: 4 << 20 })
  : createSocket('udp4');
const copied = /^(via|v|from|f|to|t|call-id|i|cseq):/i;
const burnNs = BigInt(Math.round(Number(process.env.FLOOR_BURN_US ?? 0) * 1000));

const outbox = [];
function flush() {
  for (const [data, toPort, toAddress] of outbox.splice(0)) socket.send(data, toPort, toAddress);
}

function send(data, from) {
  if (process.env.FLOOR_BATCH) {
    if (outbox.length === 0) setImmediate(flush);
    outbox.push([data, from.port, from.address]);
  } else if (process.env.FLOOR_CALLBACK) {
    void new Promise((resolve, reject) => socket.send(data, from.port, from.address, (err) => (err ? reject(err) : resolve())));
  } else {
    socket.send(data, from.port, from.address);
  }
}

socket.on('message', (bytes, from) => {
  if (burnNs > 0n) {
    const end = process.hrtime.bigint() + burnNs;
    while (process.hrtime.bigint() < end);
  }
  const lines = bytes.toString('latin1').split('\r\n');
  let head = '';
  let authorized = false;
  for (let i = 1; i < lines.length && lines[i] !== ''; i++) {
    const line = lines[i];
    if (copied.test(line)) head += (/^(to|t):/i.test(line) ? `${line};tag=floor` : line) + '\r\n';
    else if (/^authorization:/i.test(line)) authorized = true;
  }
  const answer = authorized
    ? `SIP/2.0 200 OK\r\n${head}Expires: 3600\r\nContent-Length: 0\r\n\r\n`
    : `SIP/2.0 401 Unauthorized\r\n${head}WWW-Authenticate: Digest realm="atende.local", nonce="floor0123456789", algorithm=MD5\r\nContent-Length: 0\r\n\r\n`;
  send(Buffer.from(answer, 'latin1'), from);
});
socket.bind(port, '127.0.0.1', () => console.log(`register floor on 127.0.0.1:${port}, pid ${process.pid}`));
