import { describe, expect, it } from 'vitest';
import { ownedBody } from './message-body.js';
import { parseMessage } from './message-parser.js';
import { isParseError } from './types.js';

describe('message bodies own their memory', () => {
  it('a parsed body shares no memory with the datagram or with Node\'s buffer pool', () => {
    const sdp = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\n';
    const text = `SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>;tag=2\r\nCall-ID: x\r\nCSeq: 1 INVITE\r\nContent-Type: application/sdp\r\nContent-Length: ${sdp.length}\r\n\r\n${sdp}`;
    const msg = parseMessage(Buffer.from(text));
    if (isParseError(msg)) throw new Error(msg.reason);
    expect(msg.body.toString()).toBe(sdp);
    // A pooled slice would sit in an 8 KB slab and keep all of it alive as long as the call.
    expect(msg.body.buffer.byteLength).toBe(sdp.length);
  });

  it('copies text and bytes exactly, and empty input gives the shared empty body', () => {
    const fromText = ownedBody('ação');
    expect(fromText.toString('utf8')).toBe('ação');
    expect(fromText.buffer.byteLength).toBe(Buffer.byteLength('ação'));
    const src = Buffer.from('abc');
    const copy = ownedBody(src);
    src[0] = 0x7a;
    expect(copy.toString()).toBe('abc');
    expect(ownedBody('')).toBe(ownedBody(new Uint8Array(0)));
  });
});
