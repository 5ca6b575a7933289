import { describe, expect, it } from 'vitest';
import { bridge, BridgeError, type MediaConnector } from './bridge.js';
import { HangupError } from './hangup-error.js';
import type { HangupCause, Leg } from './leg-types.js';

/** Just enough of a leg for bridge: an endpoint, a signal, hangup. */
function fakeLeg(id: string, endpointId: string | undefined): Leg & { end(cause: HangupCause): void; hangups: HangupCause[] } {
  const ctl = new AbortController();
  const hangups: HangupCause[] = [];
  const end = (cause: HangupCause): void => {
    if (!ctl.signal.aborted) ctl.abort(new HangupError(cause));
  };
  const leg = {
    id, direction: 'inbound', from: { uri: 'sip:a@x' }, to: { uri: 'sip:b@x' }, state: 'answered', signal: ctl.signal, endpointId,
    ring: async () => undefined, answer: async () => undefined, play: async () => ({ reason: 'finished' }), collect: async () => '',
    sendDigit: async () => undefined, echo: async () => undefined, on: () => () => undefined,
    hangup: async (cause: HangupCause = 'normal') => {
      hangups.push(cause);
      end(cause);
    },
    end, hangups,
  };
  return leg as Leg & typeof leg;
}

function fakeMedia(failConnect = false): MediaConnector & { log: string[] } {
  const log: string[] = [];
  return {
    log,
    connect: async (a, b) => {
      log.push(`connect ${a} ${b}`);
      if (failConnect) throw new Error('not_same_worker');
      return { transcoding: false };
    },
    disconnect: async (ep) => {
      log.push(`disconnect ${ep}`);
    },
  };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('bridge', () => {
  it('connects the endpoints, and when one leg ends hangs the survivor up normally (its endpoint goes with the relay)', async () => {
    const a = fakeLeg('a', 'ep1');
    const b = fakeLeg('b', 'ep2');
    const media = fakeMedia();
    const done = bridge(a, b, { media });
    await tick();
    expect(media.log).toEqual(['connect ep1 ep2']);
    b.end('busy');
    expect(await done).toEqual({ endedBy: 'b', cause: 'busy' });
    expect(media.log).toEqual(['connect ep1 ep2']);
    expect(a.hangups).toEqual(['normal']);
  });

  it('with hangupOther false, disconnects the survivor and leaves it up', async () => {
    const a = fakeLeg('a', 'ep1');
    const b = fakeLeg('b', 'ep2');
    const media = fakeMedia();
    const done = bridge(a, b, { media, hangupOther: false });
    await tick();
    b.end('normal');
    expect(await done).toEqual({ endedBy: 'b', cause: 'normal' });
    expect(media.log).toEqual(['connect ep1 ep2', 'disconnect ep1']);
    expect(a.hangups).toEqual([]);
  });

  it('stop takes the relay down and leaves both legs up', async () => {
    const a = fakeLeg('a', 'ep1');
    const b = fakeLeg('b', 'ep2');
    const media = fakeMedia();
    const stop = new AbortController();
    const done = bridge(a, b, { media, stop: stop.signal });
    await tick();
    stop.abort();
    expect(await done).toEqual({ endedBy: 'stopped', cause: 'normal' });
    expect(media.log).toEqual(['connect ep1 ep2', 'disconnect ep1']);
    expect(a.hangups).toEqual([]);
    expect(b.hangups).toEqual([]);
    // The same endpoints can be bridged again (the relay is gone).
    const again = bridge(a, b, { media });
    await tick();
    a.end('normal');
    expect(await again).toEqual({ endedBy: 'a', cause: 'normal' });
  });

  it('a stop asked for while connecting wins over a leg that ends before the relay is up (the other is not hung up)', async () => {
    const a = fakeLeg('a', 'ep1');
    const b = fakeLeg('b', 'ep2');
    const media = fakeMedia();
    let connected: () => void = () => undefined;
    media.connect = (ea, eb) => {
      media.log.push(`connect ${ea} ${eb}`);
      return new Promise((resolve) => {
        connected = () => resolve({ transcoding: false });
      });
    };
    const stop = new AbortController();
    const done = bridge(a, b, { media, stop: stop.signal });
    await tick();
    stop.abort(); // e.g. a REFER accepted from a
    a.end('normal'); // and a hangs up at once
    connected();
    expect((await done).endedBy).toBe('stopped');
    expect(b.hangups).toEqual([]);
  });

  it('leaves the other leg up with hangupOther false', async () => {
    const a = fakeLeg('a', 'ep1');
    const b = fakeLeg('b', 'ep2');
    const done = bridge(a, b, { media: fakeMedia(), hangupOther: false });
    await tick();
    a.end('normal');
    expect(await done).toEqual({ endedBy: 'a', cause: 'normal' });
    expect(b.hangups).toEqual([]);
    expect(b.signal.aborted).toBe(false);
  });

  it('a leg that already ended ends the bridge at once, without connecting', async () => {
    const a = fakeLeg('a', 'ep1');
    const b = fakeLeg('b', 'ep2');
    a.end('media-timeout');
    const media = fakeMedia();
    expect(await bridge(a, b, { media })).toEqual({ endedBy: 'a', cause: 'media-timeout' });
    expect(media.log).toEqual([]);
    expect(b.hangups).toEqual(['normal']);
  });

  it('rejects with a BridgeError (both legs left up) when the relay cannot be made or a leg has no media', async () => {
    const a = fakeLeg('a', 'ep1');
    const b = fakeLeg('b', 'ep2');
    await expect(bridge(a, b, { media: fakeMedia(true) })).rejects.toBeInstanceOf(BridgeError);
    await expect(bridge(a, fakeLeg('c', undefined), { media: fakeMedia() })).rejects.toMatchObject({ code: 'no_media' });
    await expect(bridge(a, b)).rejects.toMatchObject({ code: 'no_media_pool' });
    expect(a.hangups).toEqual([]);
    expect(b.hangups).toEqual([]);
  });

  it('finds the media workers through a leg that knows them', async () => {
    const media = fakeMedia();
    const a = Object.assign(fakeLeg('a', 'ep1'), { mediaConnector: media });
    const b = fakeLeg('b', 'ep2');
    const done = bridge(b, a);
    await tick();
    expect(media.log).toEqual(['connect ep2 ep1']);
    a.end('normal');
    await done;
  });
});
