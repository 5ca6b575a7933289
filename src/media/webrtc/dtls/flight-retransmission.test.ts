import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRANSMISSION, initialFlightState, transition } from './flight-retransmission.js';
import type { FlightEvent, FlightState } from './flight-retransmission.js';

function run(events: FlightEvent[]): { state: FlightState; effects: string[] } {
  let state = initialFlightState;
  const effects: string[] = [];
  for (const e of events) {
    const r = transition(state, e, DEFAULT_RETRANSMISSION);
    state = r.state;
    for (const f of r.effects) effects.push(f.type === 'start-timer' ? `timer ${f.delayMs}` : f.type);
  }
  return { state, effects };
}

describe('flight retransmission (RFC 6347 4.2.4)', () => {
  it('doubles the timer from 1 s up to 60 s and gives up after the limit', () => {
    const expiries = Array.from({ length: 8 }, (): FlightEvent => ({ type: 'timer-expired' }));
    const { state, effects } = run([{ type: 'flight-sent', final: false }, ...expiries]);
    expect(effects).toEqual([
      'timer 1000',
      'retransmit', 'timer 2000',
      'retransmit', 'timer 4000',
      'retransmit', 'timer 8000',
      'retransmit', 'timer 16000',
      'retransmit', 'timer 32000',
      'retransmit', 'timer 60000',
      'give-up',
    ]);
    expect(state.phase).toBe('failed');
  });

  it('stops the timer when the peer answers and resends when the peer repeats itself', () => {
    expect(run([{ type: 'flight-sent', final: false }, { type: 'peer-retransmitted' }, { type: 'peer-flight-started' }, { type: 'timer-expired' }]).effects)
      .toEqual(['timer 1000', 'retransmit', 'cancel-timer']);
  });

  it('never arms a timer for the final flight, but resends it when the peer retransmits', () => {
    const { effects, state } = run([{ type: 'flight-sent', final: true }, { type: 'timer-expired' }, { type: 'peer-retransmitted' }]);
    expect(effects).toEqual(['cancel-timer', 'retransmit']);
    expect(state.phase).toBe('final');
  });
});
