import { describe, expect, it } from 'vitest';
import { forkForSipUri } from './uri-target.js';

describe('SIP URI targets', () => {
  it('reads address, port and transport, with the defaults of RFC 3263 for numeric hosts', async () => {
    expect(await forkForSipUri('sip:2000@192.0.2.10')).toEqual({
      ok: true, fork: { requestUri: 'sip:2000@192.0.2.10', target: { protocol: 'udp', address: '192.0.2.10', port: 5060 } },
    });
    expect(await forkForSipUri('sip:2000@192.0.2.10:5080;transport=tcp')).toMatchObject({ ok: true, fork: { target: { protocol: 'tcp', port: 5080 } } });
    expect(await forkForSipUri('sips:2000@[2001:db8::1]')).toMatchObject({ ok: true, fork: { target: { protocol: 'tls', address: '2001:db8::1', port: 5061 } } });
    expect(await forkForSipUri('sip:2000@localhost:5099')).toMatchObject({ ok: true, fork: { target: { port: 5099 } } });
  });

  it('refuses what it cannot reach', async () => {
    expect(await forkForSipUri('tel:+5521999990000')).toMatchObject({ ok: false });
    expect(await forkForSipUri('sip:2000@192.0.2.10;transport=sctp')).toMatchObject({ ok: false });
    expect(await forkForSipUri('sip:2000@192.0.2.10;transport=ws')).toMatchObject({ ok: false });
    expect(await forkForSipUri('sip:2000@no-such-host.invalid')).toMatchObject({ ok: false, reason: 'cannot resolve no-such-host.invalid' });
  });
});
