/** The recorder's life: recording <-> paused, then stopped (or failed on a disk error). */
export type RecorderState = 'recording' | 'paused' | 'stopped' | 'failed';
export type RecorderEvent = 'pause' | 'resume' | 'stop' | 'fail';

/** Next state for `event`; events that do not apply leave the state unchanged. */
export function transition(state: RecorderState, event: RecorderEvent): RecorderState {
  if (state === 'stopped' || state === 'failed') return state;
  switch (event) {
    case 'pause':
      return state === 'recording' ? 'paused' : state;
    case 'resume':
      return state === 'paused' ? 'recording' : state;
    case 'stop':
      return 'stopped';
    case 'fail':
      return 'failed';
  }
}
