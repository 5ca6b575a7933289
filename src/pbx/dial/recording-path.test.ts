import { describe, expect, it } from 'vitest';
import { recordingPath } from './recording-path.js';

describe('recording paths', () => {
  it('files a recording by day, named by start time, caller, callee and call id', () => {
    expect(recordingPath('/data/recordings', Date.UTC(2026, 10, 26, 14, 15, 3), '1001', '1002', 'Xk3a9'))
      .toBe('/data/recordings/2026/11/26/20261126-141503-1001-1002-Xk3a9.wav');
  });

  it('keeps file names safe whatever the numbers hold', () => {
    expect(recordingPath('/r', 0, '../../etc', 'a b', 'x/y')).toBe('/r/1970/01/01/19700101-000000-______etc-a_b-x_y.wav');
  });
});
