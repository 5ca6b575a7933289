// Where an INVITE->200 goes, per call, from a capture of the server's SIP port kept by
// `ATENDE_BENCH_KEEP_PCAP=1 npx tsx bench/call-rate.ts --atende --wire ...`:
//   node bench/probe/sip-wire-segments.mjs /tmp/wire-...-step-250.pcap SERVER_PORT
// Segments: the caller's authenticated INVITE in -> our INVITE to the callee (our 100 Trying,
// when one went) -> the callee's 180 and 200 in -> our 200 out. The callee leg has its own
// Call-ID (topology hiding), so it is matched to the caller's call by the caller's number in
// From, in order.
import { readFileSync } from 'node:fs';

const pcap = readFileSync(process.argv[2]);
const serverPort = Number(process.argv[3]);
if (pcap.readUInt32LE(0) !== 0xa1b23c4d || !(serverPort > 0)) throw new Error('usage: sip-wire-segments.mjs NANOSECOND_PCAP SERVER_PORT');
const header = (text, re) => re.exec(text)?.[1]?.trim();
const callers = new Map();
const callees = new Map();
const waitingByUser = new Map();
const firstInvite = new Map();
const challenge = [];
for (let at = 24; at + 16 <= pcap.length;) {
  const ms = pcap.readUInt32LE(at) * 1000 + pcap.readUInt32LE(at + 4) / 1e6;
  const caught = pcap.readUInt32LE(at + 8);
  const frame = at + 16;
  at = frame + caught;
  if (pcap.readUInt16BE(frame + 12) !== 0x0800) continue;
  const udp = frame + 14 + (pcap[frame + 14] & 0x0f) * 4;
  const src = pcap.readUInt16BE(udp);
  const dst = pcap.readUInt16BE(udp + 2);
  const text = pcap.toString('latin1', udp + 8, frame + caught);
  const callId = header(text, /\r\n(?:Call-ID|i)\s*:([^\r\n]*)/i);
  if (callId === undefined) continue;
  const user = header(text, /\r\n(?:From|f)\s*:[^\r\n]*?sip:([^@;>]+)@/i);
  const invite = /\r\nCSeq\s*:\s*\d+\s+INVITE\b/i.test(text);
  const inbound = dst === serverPort;
  if (inbound && text.startsWith('INVITE ')) {
    if (!/\r\nProxy-Authorization\s*:/i.test(text)) {
      if (!firstInvite.has(callId)) firstInvite.set(callId, ms);
    } else if (!callers.has(callId)) {
      const call = { inviteIn: ms };
      callers.set(callId, call);
      const queue = waitingByUser.get(user) ?? [];
      queue.push(call);
      waitingByUser.set(user, queue);
    }
  } else if (!inbound && text.startsWith('INVITE ') && !callees.has(callId)) {
    const call = waitingByUser.get(user)?.shift();
    callees.set(callId, call);
    if (call !== undefined) call.inviteOut = ms;
  } else if (!inbound && text.startsWith('SIP/2.0 407')) {
    const sent = firstInvite.get(callId);
    if (sent !== undefined) challenge.push(ms - sent);
    firstInvite.delete(callId);
  } else if (invite) {
    const call = inbound ? callees.get(callId) : callers.get(callId);
    if (call === undefined) continue;
    const status = text.slice(8, 11);
    const field = inbound ? { 180: 'ringingIn', 200: 'answerIn' }[status] : { 100: 'tryingOut', 200: 'answerOut' }[status];
    if (field !== undefined && call[field] === undefined) call[field] = ms;
  }
}
const calls = [...callers.values()].filter((c) => c.inviteOut !== undefined && c.answerIn !== undefined && c.answerOut !== undefined);
const percentile = (sorted, p) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]);
const show = (name, values) => {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  console.log(name.padEnd(36), [50, 90, 95, 99].map((p) => `p${p} ${percentile(sorted, p).toFixed(2)}`).join('  '), 'ms');
};
console.log(`${calls.length} calls`);
show('INVITE in -> 200 out', calls.map((c) => c.answerOut - c.inviteIn));
show('  INVITE in -> INVITE to callee', calls.map((c) => c.inviteOut - c.inviteIn));
// The INVITE transaction sends 100 Trying only when nothing else went within 200 ms (Timer
// "Trying"), so it is seldom on the wire.
if (calls.some((c) => c.tryingOut !== undefined)) {
  show('    INVITE in -> our 100 Trying', calls.map((c) => c.tryingOut - c.inviteIn));
  show('    100 Trying -> INVITE to callee', calls.map((c) => c.inviteOut - c.tryingOut));
}
show('  callee: INVITE -> its 180', calls.map((c) => c.ringingIn - c.inviteOut));
show('  callee: INVITE -> its 200', calls.map((c) => c.answerIn - c.inviteOut));
show('  callee 200 -> our 200', calls.map((c) => c.answerOut - c.answerIn));
show('the server\'s own (both of ours)', calls.map((c) => c.inviteOut - c.inviteIn + c.answerOut - c.answerIn));
show('first INVITE -> 407 (challenge)', challenge);
