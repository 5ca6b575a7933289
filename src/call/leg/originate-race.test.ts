import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../core/index.js';
import type { TransportProtocol } from '../../sip/transport/types.js';
import type { ForkTarget } from '../signalling/types.js';
import { forkGroups, type ForkGroup } from './fork-media.js';
import type { HangupCause } from './leg-types.js';
import { OriginateRace, type RacingLeg } from './originate-race.js';
import { OriginateError } from './outbound-leg-state.js';

/** A leg whose far end the test drives: answer, refuse with a status, ring. */
class FakeLeg implements RacingLeg {
  hungUp: HangupCause | undefined;
  settledCalls = 0;
  private resolve!: () => void;
  private reject!: (e: Error) => void;
  private readonly answered = new Promise<void>((res, rej) => {
    this.resolve = res;
    this.reject = rej;
  });
  constructor(readonly group: ForkGroup, readonly ring: (leg: FakeLeg) => void) {
    this.answered.catch(() => undefined);
  }
  whenAnswered(): Promise<void> {
    return this.answered;
  }
  answer(): void {
    this.resolve();
  }
  refuse(status: number, cause: HangupCause = 'failed'): void {
    this.reject(new OriginateError(cause, status));
  }
  async hangup(cause: HangupCause = 'normal'): Promise<void> {
    if (this.hungUp !== undefined) return;
    this.hungUp = cause;
    this.reject(new OriginateError(cause));
  }
  async settled(): Promise<void> {
    this.settledCalls++;
  }
}

function fork(protocol: TransportProtocol, user: string): ForkTarget {
  return { requestUri: `sip:${user}@192.0.2.10`, target: { protocol, address: '192.0.2.10', port: 5061 } };
}

function setup(forks: ForkTarget[]) {
  const legs: FakeLeg[] = [];
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const early: FakeLeg[] = [];
  const race = new OriginateRace<FakeLeg>(
    async (group, onEarly) => {
      const leg = new FakeLeg(group, onEarly);
      legs.push(leg);
      return leg;
    },
    createLogger('info', sink),
    (leg) => early.push(leg),
  );
  race.start(forkGroups(forks));
  return { race, legs, logs, early };
}

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('ringing the devices of a target with the offer each needs', () => {
  it('calls a TLS phone that refuses SRTP (488) once more with plain RTP, logs it, and connects', async () => {
    const { race, legs, logs } = setup([fork('tls', 'desk')]);
    await flush();
    expect(legs.map((l) => l.group.kind)).toEqual(['srtp']);
    legs[0]?.refuse(488);
    await flush();
    expect(legs.map((l) => l.group.kind)).toEqual(['srtp', 'rtp']);
    expect(legs[1]?.group.forks).toEqual(legs[0]?.group.forks);
    const line = logs.find((l) => String(l['msg']).includes('refused SDES-SRTP'));
    expect(line?.['level']).toBe(30);
    expect(line?.['contacts']).toEqual(['sip:desk@192.0.2.10']);
    legs[1]?.answer();
    expect(await race.result).toBe(legs[1]);
  });

  it('retries only once: a plain-RTP retry refused too fails the call with that status', async () => {
    const { race, legs } = setup([fork('tls', 'desk')]);
    await flush();
    legs[0]?.refuse(415);
    await flush();
    legs[1]?.refuse(488);
    await expect(race.result).rejects.toMatchObject({ status: 488 });
    expect(legs).toHaveLength(2);
    expect(legs.every((l) => l.settledCalls === 1)).toBe(true);
  });

  it('does not retry a busy TLS phone', async () => {
    const { race, legs } = setup([fork('tls', 'desk')]);
    await flush();
    legs[0]?.refuse(486, 'busy');
    await expect(race.result).rejects.toMatchObject({ cause: 'busy', status: 486 });
    expect(legs).toHaveLength(1);
  });

  it('rings a TLS and a UDP device of one extension with their own offers; the first answer cancels the other', async () => {
    const { race, legs, early } = setup([fork('udp', 'soft'), fork('tls', 'desk')]);
    await flush();
    expect(legs.map((l) => l.group.kind)).toEqual(['rtp', 'srtp']);
    legs[1]?.ring(legs[1]);
    legs[0]?.ring(legs[0]);
    expect(early).toEqual([legs[1]]);
    legs[1]?.answer();
    expect(await race.result).toBe(legs[1]);
    expect(legs[0]?.hungUp).toBe('cancelled');
    expect(legs[1]?.hungUp).toBeUndefined();
  });

  it('keeps ringing the other devices while a TLS one is retried, and reports busy over a refusal', async () => {
    const { race, legs } = setup([fork('udp', 'soft'), fork('tls', 'desk')]);
    await flush();
    legs[1]?.refuse(488);
    await flush();
    expect(legs[0]?.hungUp).toBeUndefined();
    legs[0]?.refuse(486, 'busy');
    legs[2]?.refuse(488);
    await expect(race.result).rejects.toMatchObject({ cause: 'busy', status: 486 });
  });

  it('a second answer arriving together is hung up (BYE for a real leg)', async () => {
    const { race, legs } = setup([fork('udp', 'soft'), fork('tls', 'desk')]);
    await flush();
    legs[0]?.answer();
    legs[1]?.answer();
    expect(await race.result).toBe(legs[0]);
    await flush();
    expect(legs[1]?.hungUp).toBeDefined();
  });

  it('a timeout ends every leg with its cause and retries nothing', async () => {
    const { race, legs } = setup([fork('udp', 'soft'), fork('tls', 'desk')]);
    await flush();
    race.stop('no-answer');
    await expect(race.result).rejects.toMatchObject({ cause: 'no-answer' });
    expect(legs.map((l) => l.hungUp)).toEqual(['no-answer', 'no-answer']);
    expect(legs).toHaveLength(2);
  });

  it('a device refusing while the race is stopped is not retried, and a leg opened late is ended at once', async () => {
    const legs: FakeLeg[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const race = new OriginateRace<FakeLeg>(async (group, onEarly) => {
      await gate;
      const leg = new FakeLeg(group, onEarly);
      legs.push(leg);
      return leg;
    }, createLogger('silent'));
    race.start(forkGroups([fork('tls', 'desk')]));
    race.stop('cancelled');
    release();
    await expect(race.result).rejects.toMatchObject({ cause: 'cancelled' });
    expect(legs.map((l) => l.hungUp)).toEqual(['cancelled']);
  });

  it('no media endpoint for any group fails the attempt', async () => {
    const race = new OriginateRace<FakeLeg>(async () => {
      throw new Error('pool closed');
    }, createLogger('silent'));
    race.start(forkGroups([fork('udp', 'soft'), fork('tls', 'desk')]));
    await expect(race.result).rejects.toMatchObject({ cause: 'failed' });
  });
});
