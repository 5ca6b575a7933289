// The RTP sink as its own process (forked by rtp-sink.ts), so that its receive timestamps are
// not delayed by the benchmark's own work: one UDP socket on 127.0.0.1 that every measured call
// sends to, and a RtpWindowStats over the current window. Commands arrive over the IPC channel.
import { createSocket } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { RtpWindowStats } from './rtp-window-stats.js';
import type { SinkCommand, SinkReply } from './rtp-sink.js';

const socket = createSocket('udp4');
let stats = new RtpWindowStats(8000, performance.now());

socket.on('message', (msg, rinfo) => {
  const now = performance.now();
  // RTP version 2, not RTCP (packet types 200..204 sit where marker+PT 72..76 would, RFC 5761 4).
  if (msg.length < 12 || msg[0]! >> 6 !== 2) return;
  const pt = msg[1]! & 0x7f;
  if (pt >= 72 && pt <= 76) return;
  stats.add(`${rinfo.port}/${msg.readUInt32BE(8)}`, msg.readUInt16BE(2), msg.readUInt32BE(4), now);
});

const reply = (r: SinkReply): void => { process.send?.(r); };

process.on('message', (cmd: SinkCommand) => {
  switch (cmd.type) {
    case 'begin':
      stats = new RtpWindowStats(8000, performance.now());
      reply({ type: 'ok' });
      break;
    case 'end':
      reply({ type: 'report', report: stats.report(performance.now()) });
      break;
    case 'status':
      reply({ type: 'status', streams: stats.streamCount, active: stats.activeSince(performance.now() - cmd.activeMs) });
      break;
    case 'close':
      socket.close();
      process.disconnect?.();
      break;
  }
});

socket.bind(0, '127.0.0.1', () => {
  // A burst of every call's packet must fit: raise net.core.rmem_max for the full 16 MB.
  socket.setRecvBufferSize(16 * 1024 * 1024);
  reply({ type: 'ready', port: socket.address().port, recvBuffer: socket.getRecvBufferSize() });
});
