/**
 * The jitter buffer's life, as an explicit state machine:
 *   empty      nothing held and no playout cursor (new, or after a reset);
 *   buffering  packets held, waiting for the first one's playout time;
 *   playing    the playout cursor runs (the buffer may hold nothing between packets).
 * A reset (SSRC change, a jump too large to be jitter, a new clock rate) goes back to empty.
 */
export type JitterBufferState = 'empty' | 'buffering' | 'playing';

export type JitterBufferEvent = 'queued' | 'played' | 'reset';

/** What the buffer must do on the transition: place the cursor on the packet, drop all held. */
export type JitterBufferEffect = 'anchor' | 'drop' | 'none';

export interface JitterBufferTransition {
  readonly next: JitterBufferState;
  readonly effect: JitterBufferEffect;
}

const NONE = (next: JitterBufferState): JitterBufferTransition => ({ next, effect: 'none' });
// Transitions are constants: nothing is allocated per packet.
const EMPTY_TO_BUFFERING: JitterBufferTransition = { next: 'buffering', effect: 'anchor' };
const TO_EMPTY: JitterBufferTransition = { next: 'empty', effect: 'drop' };
const STAY_BUFFERING = NONE('buffering');
const STAY_PLAYING = NONE('playing');
const STAY_EMPTY = NONE('empty');

/** The next state and its effect; pure. */
export function transition(state: JitterBufferState, event: JitterBufferEvent): JitterBufferTransition {
  if (event === 'reset') return TO_EMPTY;
  switch (state) {
    case 'empty':
      // A frame cannot be played before one was queued.
      return event === 'queued' ? EMPTY_TO_BUFFERING : STAY_EMPTY;
    case 'buffering':
      return event === 'played' ? STAY_PLAYING : STAY_BUFFERING;
    case 'playing':
      return STAY_PLAYING;
  }
}
