// Parsing of SIPp's statistics, response-time and message-trace files (formats of SIPp 3.6.1).
import { describe, expect, it } from 'vitest';
import { parseSippCsv, percentile, rtdNamesOf, summarizeRtt } from './sipp.js';
import { inviteTo200Latencies, parseSippMessageLog } from './sipp-message-log.js';
import { sippUsersCsv, numberedUsers } from './sipp-csv.js';

describe('SIPp files', () => {
  it('reads the ;-separated statistics with a trailing separator', () => {
    const rows = parseSippCsv('StartTime;SuccessfulCall(C);FailedCall(C);\n1;0;0;\n2;199;1;\n');
    expect(rows).toEqual([{ StartTime: '1', 'SuccessfulCall(C)': '0', 'FailedCall(C)': '0' }, { StartTime: '2', 'SuccessfulCall(C)': '199', 'FailedCall(C)': '1' }]);
  });

  it('summarizes response times per rtd, by name or by number', () => {
    const rows = parseSippCsv('Date_ms;response_time_ms;rtd_no\n1;4;setup\n2;0;setup\n3;8;setup\n4;4;setup\n5;12;2\n');
    const names = rtdNamesOf('<send start_rtd="setup"/><recv rtd="setup"/><send start_rtd="bye"/>');
    expect(names).toEqual(['setup', 'bye']);
    const s = summarizeRtt(rows, names);
    expect(s['setup']).toMatchObject({ count: 4, p50: 4, p95: 8, max: 8, mean: 4 });
    expect(s['bye']).toMatchObject({ count: 1, p50: 12 });
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBe(10);
    expect(percentile([], 50)).toBeNaN();
  });

  it('measures INVITE -> 200 from the message trace, ignoring the challenged INVITE and retransmissions', () => {
    const block = (time: string, dir: 'sent' | 'received', first: string, cseq: string) =>
      `----------------------------------------------- 2026-11-26 11:20:${time}\n`
      + `UDP message ${dir === 'sent' ? 'sent (500 bytes):' : 'received [400] bytes :'}\n\n`
      + `${first}\r\nVia: SIP/2.0/UDP 127.0.0.1:5060\r\nCall-ID: c1\r\nCSeq: ${cseq}\r\nContent-Length: 0\r\n\r\n\n`;
    const log = block('18.000000', 'sent', 'INVITE sip:1002@atende.local SIP/2.0', '1 INVITE')
      + block('18.000500', 'received', 'SIP/2.0 407 Proxy Authentication Required', '1 INVITE')
      + block('18.001000', 'sent', 'INVITE sip:1002@atende.local SIP/2.0', '2 INVITE')
      + block('18.001200', 'sent', 'INVITE sip:1002@atende.local SIP/2.0', '2 INVITE')
      + block('18.002000', 'received', 'SIP/2.0 180 Ringing', '2 INVITE')
      + block('18.003250', 'received', 'SIP/2.0 200 OK', '2 INVITE')
      + block('18.003300', 'received', 'SIP/2.0 200 OK', '2 INVITE');
    const messages = parseSippMessageLog(log);
    expect(messages).toHaveLength(7);
    expect(messages[0]).toMatchObject({ direction: 'sent', callId: 'c1', cseq: '1 INVITE' });
    const [latency] = inviteTo200Latencies(messages);
    expect(inviteTo200Latencies(messages)).toHaveLength(1);
    expect(latency).toBeCloseTo(2.25, 3);
  });

  it('writes injection CSVs with the authentication token', () => {
    expect(sippUsersCsv('atende.local', numberedUsers(1001, 2, () => '1002'))).toBe(
      'SEQUENTIAL\n1001;atende.local;[authentication username=1001 password=pw-1001];1002\n'
      + '1002;atende.local;[authentication username=1002 password=pw-1002];1002\n');
  });
});
