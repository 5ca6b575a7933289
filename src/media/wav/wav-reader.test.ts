import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isWavParseError } from './wav-format.js';
import { parseWav, type WavAudio } from './wav-reader.js';

/** Little RIFF builder: chunks are [id, body] with pad bytes added unless `noPad`. */
function riff(chunks: [string, Uint8Array][], o: { riffSize?: number; noPad?: boolean } = {}): Uint8Array {
  const parts: Buffer[] = [];
  for (const [id, body] of chunks) {
    const h = Buffer.alloc(8);
    h.write(id, 0, 'latin1');
    h.writeUInt32LE(body.length, 4);
    parts.push(h, Buffer.from(body));
    if (body.length & 1 && !o.noPad) parts.push(Buffer.alloc(1));
  }
  const content = Buffer.concat(parts);
  const head = Buffer.alloc(12);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(o.riffSize ?? content.length + 4, 4);
  head.write('WAVE', 8, 'latin1');
  return new Uint8Array(Buffer.concat([head, content]));
}

function fmt(tag: number, channels: number, rate: number, bits: number, extra?: Uint8Array): Uint8Array {
  const b = Buffer.alloc(16);
  b.writeUInt16LE(tag, 0);
  b.writeUInt16LE(channels, 2);
  b.writeUInt32LE(rate, 4);
  b.writeUInt32LE((rate * channels * bits) / 8, 8);
  b.writeUInt16LE((channels * bits) / 8, 12);
  b.writeUInt16LE(bits, 14);
  return new Uint8Array(extra ? Buffer.concat([b, extra]) : b);
}

const pcm16 = (...xs: number[]): Uint8Array => {
  const b = Buffer.alloc(xs.length * 2);
  xs.forEach((x, i) => b.writeInt16LE(x, i * 2));
  return new Uint8Array(b);
};

function ok(bytes: Uint8Array): WavAudio {
  const r = parseWav(bytes);
  if (isWavParseError(r)) throw new Error(r.reason);
  return r;
}

describe('parseWav', () => {
  it('reads 16-bit PCM at 8, 16 and 48 kHz, mono and stereo', () => {
    for (const rate of [8000, 16000, 48000]) {
      const mono = ok(riff([['fmt ', fmt(1, 1, rate, 16)], ['data', pcm16(1, -2, 32767, -32768)]]));
      expect(mono).toMatchObject({ sampleRate: rate, channels: 1, encoding: 'pcm16', frames: 4, truncated: false });
      expect([...mono.samples]).toEqual([1, -2, 32767, -32768]);
      const stereo = ok(riff([['fmt ', fmt(1, 2, rate, 16)], ['data', pcm16(10, 20, 30, 40)]]));
      expect(stereo).toMatchObject({ channels: 2, frames: 2, durationMs: (2 * 1000) / rate });
      expect([...stereo.samples]).toEqual([10, 20, 30, 40]);
    }
  });

  it('reads mu-law (7) and A-law (6) with a fact chunk, and 8-bit PCM', () => {
    const fact = new Uint8Array([3, 0, 0, 0]);
    const mu = ok(riff([['fmt ', fmt(7, 1, 8000, 8, new Uint8Array([0, 0]))], ['fact', fact], ['data', new Uint8Array([0xff, 0x00, 0x80])]]));
    expect(mu).toMatchObject({ encoding: 'mulaw', frames: 3 });
    expect([...mu.samples]).toEqual([0, -32124, 32124]);
    const a = ok(riff([['fmt ', fmt(6, 1, 8000, 8)], ['fact', fact], ['data', new Uint8Array([0xd5, 0x55, 0xaa])]]));
    expect([...a.samples]).toEqual([8, -8, 32256]);
    const u8 = ok(riff([['fmt ', fmt(1, 1, 8000, 8)], ['data', new Uint8Array([128, 0, 255])]]));
    expect([...u8.samples]).toEqual([0, -32768, 32512]);
  });

  it('reads WAVE_FORMAT_EXTENSIBLE with a PCM or mu-law SubFormat', () => {
    const ext = (tag: number): Uint8Array => {
      const e = Buffer.alloc(24);
      e.writeUInt16LE(22, 0); // cbSize
      e.writeUInt16LE(tag, 8); // SubFormat GUID starts with the tag
      return new Uint8Array(e);
    };
    expect(ok(riff([['fmt ', fmt(0xfffe, 1, 16000, 16, ext(1))], ['data', pcm16(5)]])).encoding).toBe('pcm16');
    expect(ok(riff([['fmt ', fmt(0xfffe, 1, 8000, 8, ext(7))], ['data', new Uint8Array([0xff])]])).encoding).toBe('mulaw');
  });

  it('skips LIST and other chunks anywhere, padded odd chunks, and data before fmt', () => {
    const list = new Uint8Array(Buffer.from('INFOISFT\x05\x00\x00\x00Lavf\x00', 'latin1')); // odd length 17
    const w = ok(riff([['LIST', list], ['fmt ', fmt(1, 1, 8000, 16)], ['junk', new Uint8Array(3)], ['data', pcm16(7, 8)], ['LIST', list]]));
    expect([...w.samples]).toEqual([7, 8]);
    const early = ok(riff([['data', pcm16(1, 2)], ['fmt ', fmt(1, 1, 8000, 16)]]));
    expect([...early.samples]).toEqual([1, 2]);
  });

  it('tolerates writers that forgot the pad byte after an odd chunk', () => {
    const w = ok(riff([['fmt ', fmt(1, 1, 8000, 16)], ['LIST', new Uint8Array(Buffer.from('INFOabc', 'latin1'))], ['data', pcm16(3, 4)]], { noPad: true }));
    expect([...w.samples]).toEqual([3, 4]);
  });

  it('ignores a wrong RIFF size and clamps a data size past the end (truncated file)', () => {
    const full = riff([['fmt ', fmt(1, 1, 8000, 16)], ['data', pcm16(1, 2, 3, 4)]], { riffSize: 12345678 });
    expect([...ok(full).samples]).toEqual([1, 2, 3, 4]);
    const cut = ok(full.subarray(0, full.length - 3)); // 1.5 samples lost
    expect(cut).toMatchObject({ truncated: true, frames: 2 });
    expect([...cut.samples]).toEqual([1, 2]);
  });

  it('reads headers that were never patched (data size 0 or 0xFFFFFFFF) to the end of the file', () => {
    const body = riff([['fmt ', fmt(1, 1, 8000, 16)], ['data', pcm16(9, 8, 7)]]);
    const at = body.length - 6 - 4; // data size field
    const zero = body.slice();
    zero.set([0, 0, 0, 0], at);
    expect([...ok(zero).samples]).toEqual([9, 8, 7]);
    const ff = body.slice();
    ff.set([0xff, 0xff, 0xff, 0xff], at);
    expect(ok(ff)).toMatchObject({ frames: 3, truncated: true });
  });

  it('drops a partial trailing frame of an odd-length data chunk', () => {
    const odd = riff([['fmt ', fmt(1, 2, 8000, 16)], ['data', new Uint8Array([1, 0, 2, 0, 3, 0, 4])]]);
    expect(ok(odd)).toMatchObject({ frames: 1 });
    expect([...ok(odd).samples]).toEqual([1, 2]);
  });

  it('returns a ParseError for what it cannot read', () => {
    const cases: Uint8Array[] = [
      new Uint8Array(0),
      new Uint8Array(Buffer.from('RIFF\x00\x00\x00\x00AVI LIST', 'latin1')),
      riff([['data', pcm16(1)]]), // no fmt
      riff([['fmt ', fmt(1, 1, 8000, 16)]]), // no data
      riff([['fmt ', new Uint8Array(10)], ['data', pcm16(1)]]), // short fmt
      riff([['fmt ', fmt(1, 1, 8000, 24)], ['data', new Uint8Array(6)]]), // 24-bit
      riff([['fmt ', fmt(3, 1, 8000, 32)], ['data', new Uint8Array(8)]]), // float
      riff([['fmt ', fmt(1, 0, 8000, 16)], ['data', pcm16(1)]]), // 0 channels
      riff([['fmt ', fmt(1, 1, 0, 16)], ['data', pcm16(1)]]), // 0 Hz
    ];
    for (const c of cases) expect(isWavParseError(parseWav(c))).toBe(true);
  });

  it('never throws on arbitrary or damaged input', () => {
    const good = riff([['fmt ', fmt(1, 2, 8000, 16)], ['LIST', new Uint8Array(5)], ['data', pcm16(1, 2, 3, 4, 5, 6)]]);
    fc.assert(fc.property(fc.uint8Array({ maxLength: 120 }), (b) => void parseWav(b)));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(good.length - 1), fc.nat(255)), { maxLength: 6 }), fc.nat(good.length), (edits, cut) => {
        const b = good.slice(0, cut);
        for (const [i, v] of edits) if (i < b.length) b[i] = v;
        void parseWav(b);
      }),
    );
  });
});
