import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import type { MediaEvent, RecordResult } from '../../media/worker/index.js';
import { bridge, BridgeError, type MediaConnector } from './bridge.js';
import { HangupError } from './hangup-error.js';
import { LegRecorder } from './leg-recorder.js';
import type { HangupCause, Leg, PlayItem, RecordingHandle } from './leg-types.js';
import type { RecorderPort } from './running-recording.js';

/** A media pool double that records commands and raises recordDone as the real one does. */
function fakePool(opts: { failRecord?: boolean } = {}): MediaConnector & RecorderPort & { log: string[]; raise(ev: MediaEvent): void; live: Set<string> } {
  const log: string[] = [];
  const listeners = new Set<(ev: MediaEvent) => void>();
  const live = new Set<string>();
  const raise = (ev: MediaEvent): void => {
    if (ev.ev === 'recordDone') live.delete(ev.recId);
    for (const l of [...listeners]) l(ev);
  };
  return {
    log, live, raise,
    connect: async (a, b) => {
      log.push(`connect ${a} ${b}`);
      return { transcoding: false };
    },
    disconnect: async (ep) => {
      log.push(`disconnect ${ep}`);
    },
    record: async (req) => {
      log.push(`record ${req.endpoints.join(',')} ${req.layout ?? 'stereo'} ${req.path}`);
      if (opts.failRecord) throw new Error('record_failed');
      live.add(req.recId);
    },
    pauseRecord: async (recId) => {
      log.push(`pauseRecord ${recId}`);
      if (!live.has(recId)) throw new Error('unknown_recording');
    },
    resumeRecord: async (recId) => {
      log.push(`resumeRecord ${recId}`);
      if (!live.has(recId)) throw new Error('unknown_recording');
    },
    stopRecord: async (recId): Promise<RecordResult> => {
      log.push('stopRecord');
      // The worker answers later: an event raised meanwhile comes first, as over the real port.
      await Promise.resolve();
      if (!live.has(recId)) throw new Error('unknown_recording');
      const result = { path: '/rec.wav', durationMs: 2000, bytes: 64_044 };
      raise({ ev: 'recordDone', recId, ...result });
      return result;
    },
    on: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
}

function fakeLeg(id: string, endpointId: string): Leg & { end(cause: HangupCause): void } {
  const ctl = new AbortController();
  const end = (cause: HangupCause): void => {
    if (!ctl.signal.aborted) ctl.abort(new HangupError(cause));
  };
  const leg = {
    id, direction: 'outbound', from: { uri: 'sip:a@x' }, to: { uri: 'sip:b@x' }, state: 'answered', signal: ctl.signal, endpointId,
    hangup: async (cause: HangupCause = 'normal') => end(cause),
    end,
  };
  return leg as unknown as Leg & typeof leg;
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('recorded bridge', () => {
  it('records both legs from the connect until the bridge ends, stopping before the relay is taken down', async () => {
    const media = fakePool();
    const a = fakeLeg('a', 'ep1');
    const b = fakeLeg('b', 'ep2');
    const done = bridge(a, b, { media, record: { path: '/rec.wav' } });
    await tick();
    expect(media.log).toEqual(['connect ep1 ep2', 'record ep1,ep2 stereo /rec.wav']);
    a.end('normal');
    const end = await done;
    expect(end).toEqual({ endedBy: 'a', cause: 'normal', recording: { path: '/rec.wav', durationMs: 2000, bytes: 64_044 } });
    expect(media.log.slice(2)).toEqual(['stopRecord']);
  });

  it('still reports the file when the worker closed the recording first (the ended leg\'s endpoint destroyed)', async () => {
    const media = fakePool();
    const a = fakeLeg('a', 'ep1');
    const b = fakeLeg('b', 'ep2');
    const done = bridge(a, b, { media, record: { path: '/rec.wav', layout: 'mixed' } });
    await tick();
    expect(media.log[1]).toBe('record ep1,ep2 mixed /rec.wav');
    const recId = [...media.live][0] ?? '';
    media.raise({ ev: 'recordDone', recId, path: '/rec.wav', durationMs: 1500, bytes: 24_044 });
    b.end('normal');
    expect((await done).recording).toEqual({ path: '/rec.wav', durationMs: 1500, bytes: 24_044 });
  });

  it('a recording that cannot start is a BridgeError: the relay is taken down, the legs stay up', async () => {
    const media = fakePool({ failRecord: true });
    const a = fakeLeg('a', 'ep1');
    const b = fakeLeg('b', 'ep2');
    await expect(bridge(a, b, { media, record: { path: '/nowhere/rec.wav' } })).rejects.toMatchObject({ code: 'record_failed' });
    expect(media.log).toEqual(['connect ep1 ep2', 'record ep1,ep2 stereo /nowhere/rec.wav', 'disconnect ep1']);
    expect(a.signal.aborted).toBe(false);
  });

  it('hands the application a pause/resume handle for the bridge recording', async () => {
    const media = fakePool();
    const a = fakeLeg('a', 'ep1');
    const b = fakeLeg('b', 'ep2');
    let handle: RecordingHandle | undefined;
    const done = bridge(a, b, { media, record: { path: '/rec.wav', onStart: (h) => (handle = h) } });
    await tick();
    expect(handle).toBeDefined();
    const recId = [...media.live][0] ?? '';
    expect(handle!.paused).toBe(false);
    await handle!.pause();
    expect(handle!.paused).toBe(true);
    await handle!.resume();
    expect(handle!.paused).toBe(false);
    expect(media.log.slice(2)).toEqual([`pauseRecord ${recId}`, `resumeRecord ${recId}`]);
    expect('stop' in handle!).toBe(false);
    b.end('normal');
    expect((await done).recording).toMatchObject({ path: '/rec.wav' });
    // Once the recording ended, pause does nothing (no command, no rejection).
    await handle!.pause();
    expect(media.log.filter((l) => l.startsWith('pauseRecord'))).toHaveLength(1);
  });

  it('a bridge recording on workers that cannot pause: the handle rejects, the call goes on', async () => {
    const { pauseRecord: _p, resumeRecord: _r, ...media } = fakePool();
    const a = fakeLeg('a', 'ep1');
    const b = fakeLeg('b', 'ep2');
    let handle: RecordingHandle | undefined;
    const done = bridge(a, b, { media, record: { path: '/rec.wav', onStart: (h) => (handle = h) } });
    await tick();
    await expect(handle!.pause()).rejects.toMatchObject({ code: 'no_recording_pause' });
    expect(handle!.paused).toBe(false);
    a.end('normal');
    expect((await done).recording).toBeDefined();
  });

  it('refuses to record with media workers that cannot', async () => {
    const a = fakeLeg('a', 'ep1');
    const b = fakeLeg('b', 'ep2');
    const media: MediaConnector = { connect: async () => ({ transcoding: false }), disconnect: async () => undefined };
    await expect(bridge(a, b, { media, record: { path: '/rec.wav' } })).rejects.toBeInstanceOf(BridgeError);
  });
});

describe('LegRecorder (a leg recording on its own)', () => {
  function setup() {
    const clock = new ManualClock();
    const pool = fakePool();
    const ctl = new AbortController();
    const played: PlayItem[][] = [];
    const recorder = new LegRecorder(clock, pool, ctl.signal);
    const play = async (items: PlayItem[]) => {
      played.push(items);
      return { reason: 'finished' as const };
    };
    return { clock, pool, ctl, played, recorder, play };
  }

  it('beeps, records mono, and resolves stopped on stopRecording', async () => {
    const { pool, played, recorder, play } = setup();
    const pending = recorder.record('ep7', { path: '/vm.wav', beep: true }, play);
    await tick();
    expect(played).toEqual([[{ kind: 'tone', tone: 'test', durationMs: 250 }]]);
    expect(pool.log).toEqual(['record ep7 stereo /vm.wav']);
    await recorder.stop();
    expect(await pending).toMatchObject({ reason: 'stopped', durationMs: 2000 });
  });

  it('stops at maxMs', async () => {
    const { clock, recorder, play } = setup();
    const pending = recorder.record('ep7', { path: '/vm.wav', maxMs: 30_000 }, play);
    await tick();
    clock.advance(29_999);
    await tick();
    let settled = false;
    void pending.then(() => (settled = true));
    await tick();
    expect(settled).toBe(false);
    clock.advance(1);
    expect(await pending).toMatchObject({ reason: 'max-duration' });
  });

  it('resolves with the file (not a HangupError) when the caller hangs up', async () => {
    const { ctl, recorder, play } = setup();
    const pending = recorder.record('ep7', { path: '/vm.wav', maxMs: 60_000 }, play);
    await tick();
    ctl.abort(new HangupError('normal'));
    expect(await pending).toEqual({ path: '/rec.wav', durationMs: 2000, bytes: 64_044, reason: 'hangup' });
  });

  it('resolves hangup when the endpoint was destroyed before our stop reached the worker', async () => {
    const { pool, ctl, recorder, play } = setup();
    const pending = recorder.record('ep7', { path: '/vm.wav' }, play);
    await tick();
    const recId = [...pool.live][0] ?? '';
    ctl.abort(new HangupError('normal'));
    pool.raise({ ev: 'recordDone', recId, path: '/vm.wav', durationMs: 800, bytes: 12_844 });
    expect(await pending).toEqual({ path: '/vm.wav', durationMs: 800, bytes: 12_844, reason: 'hangup' });
  });

  it('pauses and resumes the running recording (idempotent on our side too), nothing when none runs', async () => {
    const { pool, recorder, play } = setup();
    await recorder.pause();
    await recorder.resume();
    expect(pool.log).toEqual([]);
    const pending = recorder.record('ep7', { path: '/vm.wav' }, play);
    await tick();
    const recId = [...pool.live][0] ?? '';
    await recorder.pause();
    expect(recorder.paused).toBe(true);
    await recorder.pause();
    await recorder.resume();
    expect(recorder.paused).toBe(false);
    expect(pool.log.slice(1)).toEqual([`pauseRecord ${recId}`, `pauseRecord ${recId}`, `resumeRecord ${recId}`]);
    await recorder.stop();
    expect(await pending).toMatchObject({ reason: 'stopped' });
    await recorder.pause();
    expect(pool.log.at(-1)).toBe('stopRecord');
  });

  it('a pause that loses the race with the worker ending the recording does not reject', async () => {
    const { pool, recorder, play } = setup();
    const pending = recorder.record('ep7', { path: '/vm.wav' }, play);
    await tick();
    const recId = [...pool.live][0] ?? '';
    // The worker ends it (disk error) while our pause is on its way: the pool then says unknown.
    pool.live.delete(recId);
    const pausing = recorder.pause();
    pool.raise({ ev: 'recordDone', recId, path: '/vm.wav', durationMs: 500, bytes: 8044, error: 'ENOSPC' });
    await expect(pausing).resolves.toBeUndefined();
    expect(await pending).toMatchObject({ reason: 'error', error: 'ENOSPC' });
  });

  it('one recording at a time', async () => {
    const { recorder, play } = setup();
    void recorder.record('ep7', { path: '/a.wav' }, play);
    await tick();
    await expect(recorder.record('ep7', { path: '/b.wav' }, play)).rejects.toMatchObject({ code: 'recording_busy' });
    await recorder.stop();
  });
});
