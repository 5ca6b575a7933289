// Call recording: two parties' frames aligned by media time into a stereo (one party per
// channel) or mixed mono 16-bit WAV, written incrementally so a crash loses under a second;
// pause skips the paused time (as Asterisk's MixMonitor does).
export { type CallRecorderOptions, type RecordingChannel, type RecordingResult, CallRecorder } from './call-recorder.js';
export { type RecorderError, isRecorderError } from './recorder-error.js';
export { type RecorderEvent, type RecorderState, transition as recorderTransition } from './recorder-state.js';
