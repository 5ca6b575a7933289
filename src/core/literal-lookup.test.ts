import { createSocket } from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { literalLookup } from './literal-lookup.js';

describe('literalLookup', () => {
  it('answers IP literals before returning, with their family', () => {
    const answers: Array<[string, number]> = [];
    literalLookup('127.0.0.1', 4, (err, address, family) => answers.push([String(err ?? address), family]));
    literalLookup('::1', 6, (err, address, family) => answers.push([String(err ?? address), family]));
    expect(answers).toEqual([['127.0.0.1', 4], ['::1', 6]]);
  });

  it('sends host names to the resolver', async () => {
    const answer = await new Promise<[string, number]>((resolve, reject) => {
      literalLookup('localhost', 4, (err, address, family) => (err ? reject(err) : resolve([address, family])));
    });
    expect(answer).toEqual(['127.0.0.1', 4]);
  });

  it('lets a dgram socket look a literal address up within send(), not on a later tick', async () => {
    const rx = createSocket('udp4');
    await new Promise<void>((r) => rx.bind(0, '127.0.0.1', r));
    let lookups = 0;
    const tx = createSocket({
      type: 'udp4',
      lookup: ((h: string, o: unknown, cb: Parameters<typeof literalLookup>[2]) => { lookups++; literalLookup(h, o, cb); }) as never,
    });
    await new Promise<void>((r) => tx.bind(0, '127.0.0.1', r));
    lookups = 0;
    const got = new Promise<string>((r) => rx.once('message', (m) => r(m.toString())));
    tx.send('hello', rx.address().port, '127.0.0.1');
    expect(lookups).toBe(1);
    expect(await got).toBe('hello');
    rx.close();
    tx.close();
  });
});
