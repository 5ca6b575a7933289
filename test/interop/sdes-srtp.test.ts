// SDES-SRTP (RFC 4568) to SIP phones over TLS: a phone registered over TLS is offered RTP/SAVP
// with a=crypto, the caller (plain RTP over UDP) and the phone hear each other through Atende
// (so SRTP works both ways), and a TLS phone without SRTP still gets the call in plain RTP.
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SipMessage } from '../../src/sip/message/index.js';
import type { SendTarget } from '../../src/sip/transport/types.js';
import { startAtende, type TestAtende } from '../support/atende.js';
import { startBaresip, type Baresip } from '../support/peers/baresip.js';
import { expectHeardEachOther, talk } from '../support/peers/baresip-call.js';
import { makePeerDir, removePeerDirs, stopAllPeers } from '../support/peers/peer-process.js';

let atende: TestAtende;
let work: string;
/** Every INVITE Atende sent: the transport it went over and its SDP. */
let invites: { protocol: string; requestUri: string; sdp: string }[] = [];

beforeAll(async () => {
  work = await makePeerDir('interop-sdes');
  atende = await startAtende({ extensionCount: 6 });
  // A spy on the transport every request leaves through (the transaction layer holds this object).
  const transport = atende.server.transport;
  const send = transport.send.bind(transport);
  transport.send = (message: SipMessage, target: SendTarget) => {
    if (message.type === 'request' && message.method === 'INVITE') {
      invites.push({ protocol: target.protocol, requestUri: message.uri, sdp: message.body.toString('utf8') });
    }
    return send(message, target);
  };
});

beforeEach(() => {
  invites = [];
});

afterAll(async () => {
  await stopAllPeers();
  await atende?.stop();
  await removePeerDirs();
});

async function phone(user: string, tone: number, o: { tls: boolean; srtp?: 'srtp-mand'; autoAnswer: boolean }): Promise<Baresip> {
  const p = await startBaresip({
    user, password: `pw-${user}`,
    registrar: `127.0.0.1:${o.tls ? atende.tlsPort : atende.sipPort}`,
    transport: o.tls ? 'tls' : 'udp',
    audioSource: `ausine,${tone}`, autoAnswer: o.autoAnswer, recordDir: join(work, `rec-${user}`),
    ...(o.srtp !== undefined ? { extraConfig: ['module srtp.so'], accountParams: [`mediaenc=${o.srtp}`] } : {}),
  });
  await p.waitForEvent('REGISTER_OK', 5000);
  return p;
}

describe('SDES-SRTP to a phone registered over TLS', () => {
  it('offers RTP/SAVP with an AES_CM_128_HMAC_SHA1_80 key over TLS only, and the tones cross both ways', async () => {
    // srtp-mand: the phone refuses any offer that is not RTP/SAVP, so a plain call cannot pass.
    const callee = await phone('1001', 440, { tls: true, srtp: 'srtp-mand', autoAnswer: true });
    const caller = await phone('1002', 1000, { tls: false, autoAnswer: false });
    await talk(caller, callee, `sip:1001@${atende.sipTarget}`);

    const toPhone = invites.filter((i) => i.protocol === 'tls');
    expect(toPhone, JSON.stringify(invites)).toHaveLength(1);
    expect(toPhone[0]?.sdp).toMatch(/^m=audio \d+ RTP\/SAVP /m);
    expect(toPhone[0]?.sdp).toMatch(/^a=crypto:\d+ AES_CM_128_HMAC_SHA1_80 inline:[A-Za-z0-9+/=]{40}/m);
    // No key ever left over a cleartext hop.
    expect(invites.filter((i) => i.protocol !== 'tls' && i.sdp.includes('a=crypto'))).toEqual([]);
    // The phone itself negotiated SRTP with the offered suite.
    expect(callee.log()).toMatch(/srtp: audio: SRTP is Enabled \(cryptosuite=AES_CM_128_HMAC_SHA1_80\)/);

    // The caller's 1 kHz reached the phone decrypted, the phone's 440 Hz reached the caller.
    await expectHeardEachOther(caller, callee, 1000, 440);
    await Promise.all([caller.stop(), callee.stop()]);
    expect(atende.server.legs.size).toBe(0);
  });

  it('calls a TLS phone without SRTP again with plain RTP when it refuses the SRTP offer, and the call connects', async () => {
    const callee = await phone('1003', 440, { tls: true, autoAnswer: true });
    const caller = await phone('1004', 1000, { tls: false, autoAnswer: false });
    await talk(caller, callee, `sip:1003@${atende.sipTarget}`);

    const toPhone = invites.filter((i) => i.protocol === 'tls');
    expect(toPhone.map((i) => /^m=audio \d+ (\S+)/m.exec(i.sdp)?.[1]), JSON.stringify(invites)).toEqual(['RTP/SAVP', 'RTP/AVP']);
    expect(toPhone[1]?.sdp).not.toContain('a=crypto');
    expect(toPhone[1]?.requestUri).toBe(toPhone[0]?.requestUri);

    await expectHeardEachOther(caller, callee, 1000, 440);
    await Promise.all([caller.stop(), callee.stop()]);
    expect(atende.server.legs.size).toBe(0);
  });

  it('rings a TLS and a UDP device of one extension with the offer each needs; the TLS one answers, the other is cancelled', async () => {
    const desk = await phone('1005', 440, { tls: true, srtp: 'srtp-mand', autoAnswer: true });
    const soft = await phone('1005', 660, { tls: false, autoAnswer: false });
    expect(atende.server.registrar.lookup('1005').map((b) => b.source.protocol).sort()).toEqual(['tls', 'udp']);
    const caller = await phone('1006', 1000, { tls: false, autoAnswer: false });
    const cancelled = soft.waitForEvent('CALL_CLOSED', 10_000);
    await talk(caller, desk, `sip:1005@${atende.sipTarget}`);
    await cancelled;

    const byProtocol = new Map(invites.map((i) => [i.protocol, i.sdp]));
    expect([...byProtocol.keys()].sort(), JSON.stringify(invites)).toEqual(['tls', 'udp']);
    expect(byProtocol.get('tls')).toMatch(/^m=audio \d+ RTP\/SAVP /m);
    expect(byProtocol.get('tls')).toContain('a=crypto:');
    expect(byProtocol.get('udp')).toMatch(/^m=audio \d+ RTP\/AVP /m);
    expect(byProtocol.get('udp')).not.toContain('a=crypto');

    await expectHeardEachOther(caller, desk, 1000, 440);
    await Promise.all([caller.stop(), desk.stop(), soft.stop()]);
    expect(atende.server.legs.size).toBe(0);
  });
});
