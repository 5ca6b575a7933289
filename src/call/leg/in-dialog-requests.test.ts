import { describe, expect, it } from 'vitest';
import { createRequest, type SipResponse } from '../../sip/message/index.js';
import type { ServerTransaction } from '../../sip/transaction/index.js';
import type { LegMedia } from '../media/leg-media.js';
import { answerSessionModification, type SessionModificationContext } from './in-dialog-requests.js';
import type { LegDeps } from './leg-deps.js';

function reinvite(connection: string): ReturnType<typeof createRequest> {
  const body = `v=0\r\no=- 1 2 IN IP4 192.0.2.9\r\ns=-\r\n${connection}\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n`;
  return createRequest({
    method: 'INVITE', uri: 'sip:atende@192.0.2.1',
    headers: [
      { name: 'Via', value: 'SIP/2.0/UDP 192.0.2.9:5060;branch=z9hG4bKre1' }, { name: 'From', value: '<sip:a@x>;tag=a' },
      { name: 'To', value: '<sip:b@x>;tag=b' }, { name: 'Call-ID', value: 're1' }, { name: 'CSeq', value: '2 INVITE' },
      { name: 'Content-Type', value: 'application/sdp' },
    ],
    body: Buffer.from(body),
  });
}

/** A context whose media is an IPv4 endpoint that must not be asked to answer (it would throw). */
function context(answered: string[]): SessionModificationContext {
  const media = {
    family: 'IPv4',
    answer: (offer: string) => {
      answered.push(offer);
      return Promise.resolve({ ok: false, reason: 'test' });
    },
  };
  return {
    // Only what answerSessionModification reads of the deps and the endpoint.
    deps: { localContact: () => 'sip:atende@192.0.2.1:5060' } as unknown as LegDeps,
    protocol: 'udp', toward: '192.0.2.9',
    media: media as unknown as LegMedia,
    sessionTimer: undefined,
    onHold: () => undefined,
  };
}

function transaction(responses: SipResponse[]): ServerTransaction {
  return { respond: (res: SipResponse) => responses.push(res) } as unknown as ServerTransaction;
}

describe('a re-INVITE that moves the far end to the other address family', () => {
  it('is refused with 488 without touching the endpoint', async () => {
    const responses: SipResponse[] = [];
    const answered: string[] = [];
    await answerSessionModification(reinvite('c=IN IP6 2001:db8::9'), transaction(responses), context(answered));
    expect(responses.map((r) => r.status)).toEqual([488]);
    expect(answered).toEqual([]);
  });

  it('reaches the endpoint when it stays in the family, or holds with an unspecified address', async () => {
    const answered: string[] = [];
    await answerSessionModification(reinvite('c=IN IP4 192.0.2.10'), transaction([]), context(answered));
    await answerSessionModification(reinvite('c=IN IP4 0.0.0.0'), transaction([]), context(answered));
    expect(answered).toHaveLength(2);
  });
});
