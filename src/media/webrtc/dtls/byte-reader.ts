/**
 * A bounds-checked cursor over wire bytes. A read past the end never throws: it marks the
 * reader `failed` and yields zeros or an empty slice, so a parser checks `failed` once at the end.
 */
export class ByteReader {
  private pos: number;
  failed = false;

  constructor(
    private readonly buf: Buffer,
    start = 0,
    private readonly end = buf.length,
  ) {
    this.pos = start;
  }

  get offset(): number {
    return this.pos;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  private take(n: number): boolean {
    if (this.failed || n < 0 || this.pos + n > this.end) {
      this.failed = true;
      return false;
    }
    return true;
  }

  u8(): number {
    if (!this.take(1)) return 0;
    return this.buf.readUInt8(this.pos++);
  }

  u16(): number {
    if (!this.take(2)) return 0;
    const v = this.buf.readUInt16BE(this.pos);
    this.pos += 2;
    return v;
  }

  u24(): number {
    if (!this.take(3)) return 0;
    const v = this.buf.readUIntBE(this.pos, 3);
    this.pos += 3;
    return v;
  }

  u48(): number {
    if (!this.take(6)) return 0;
    const v = this.buf.readUIntBE(this.pos, 6);
    this.pos += 6;
    return v;
  }

  /** A view (not a copy) of the next `n` bytes. */
  bytes(n: number): Buffer {
    if (!this.take(n)) return Buffer.alloc(0);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  /** TLS opaque vectors: a big-endian length of `lengthBytes` then the bytes. */
  vector8(): Buffer {
    return this.bytes(this.u8());
  }

  vector16(): Buffer {
    return this.bytes(this.u16());
  }

  vector24(): Buffer {
    return this.bytes(this.u24());
  }
}

/** TLS vector encoders: the length prefix then the bytes. */
export function vector8(body: Uint8Array): Buffer {
  const b = Buffer.allocUnsafe(1 + body.length);
  b.writeUInt8(body.length, 0);
  b.set(body, 1);
  return b;
}

export function vector16(body: Uint8Array): Buffer {
  const b = Buffer.allocUnsafe(2 + body.length);
  b.writeUInt16BE(body.length, 0);
  b.set(body, 2);
  return b;
}

export function vector24(body: Uint8Array): Buffer {
  const b = Buffer.allocUnsafe(3 + body.length);
  b.writeUIntBE(body.length, 0, 3);
  b.set(body, 3);
  return b;
}

export function u16(v: number): Buffer {
  const b = Buffer.allocUnsafe(2);
  b.writeUInt16BE(v, 0);
  return b;
}
