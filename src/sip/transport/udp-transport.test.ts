import { createSocket, Socket, type RemoteInfo } from 'node:dgram';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../core/logger.js';
import { TransportError } from './transport-error.js';
import { UdpEndpoint } from './udp-transport.js';

const opened: Array<{ close(): void }> = [];

async function receiver(): Promise<{ port: number; got: string[]; next(count: number): Promise<string[]> }> {
  const socket = createSocket('udp4');
  opened.push(socket);
  const got: string[] = [];
  socket.on('message', (data: Buffer, _from: RemoteInfo) => got.push(data.toString('latin1')));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    port: socket.address().port,
    got,
    next: async (count) => {
      await vi.waitFor(() => expect(got.length).toBeGreaterThanOrEqual(count), { timeout: 2000, interval: 5 });
      return got;
    },
  };
}

async function endpoint(): Promise<UdpEndpoint> {
  const e = await UdpEndpoint.bind('127.0.0.1', 0, () => undefined, silentLogger());
  opened.push(e);
  return e;
}

afterEach(() => {
  vi.restoreAllMocks();
  for (const o of opened.splice(0)) o.close();
});

describe('UdpEndpoint', () => {
  it('sends bulk datagrams together at the end of their loop turn, in order', async () => {
    const peer = await receiver();
    const e = await endpoint();
    const socketSend = vi.spyOn(Socket.prototype, 'send');
    const sent = ['one', 'two', 'three'].map((text) => e.send(Buffer.from(text), '127.0.0.1', peer.port, true));
    // Nothing has reached the socket yet: the burst leaves when the turn ends.
    expect(socketSend).not.toHaveBeenCalled();
    await Promise.all(sent);
    expect(socketSend).toHaveBeenCalledTimes(3);
    expect(await peer.next(3)).toEqual(['one', 'two', 'three']);
  });

  it('sends other datagrams at once, after the bulk ones queued before them', async () => {
    const peer = await receiver();
    const e = await endpoint();
    const socketSend = vi.spyOn(Socket.prototype, 'send');
    const bulk = e.send(Buffer.from('200 to a REGISTER'), '127.0.0.1', peer.port, true);
    const invite = e.send(Buffer.from('INVITE'), '127.0.0.1', peer.port);
    expect(socketSend).toHaveBeenCalledTimes(2);
    await Promise.all([bulk, invite]);
    expect(await peer.next(2)).toEqual(['200 to a REGISTER', 'INVITE']);
  });

  it('sends what is queued when closed in the same turn, and refuses sends afterwards', async () => {
    const peer = await receiver();
    const e = await endpoint();
    const last = e.send(Buffer.from('200 before going'), '127.0.0.1', peer.port, true);
    e.close();
    await last;
    expect(await peer.next(1)).toEqual(['200 before going']);
    await expect(e.send(Buffer.from('late'), '127.0.0.1', peer.port)).rejects.toBeInstanceOf(TransportError);
  });

  it('rejects a queued datagram the socket refuses, without holding up the others', async () => {
    const peer = await receiver();
    const e = await endpoint();
    const bad = e.send(Buffer.from('to port zero'), '127.0.0.1', 0, true);
    const good = e.send(Buffer.from('fine'), '127.0.0.1', peer.port, true);
    await expect(bad).rejects.toBeInstanceOf(TransportError);
    await good;
    expect(await peer.next(1)).toEqual(['fine']);
  });
});
