// Receive-side statistics of many RTP streams over one measuring window: loss from sequence
// numbers (RFC 3550 A.3: expected = extended highest - base + 1), interarrival jitter (RFC 3550
// A.8, per packet, in ms) and the arrival-time spread: each packet's transit time (arrival minus
// RTP timestamp) less the stream's clock drift (a least-squares line over the window: SIPp
// paces slightly slower than its timestamps advance), minus the stream's lowest such transit.
// Streams are told apart by the caller's
// key (source port and SSRC): a relay keeps one SSRC and one source port per call leg.

/** Histogram with 10 µs bins up to 2 s: percentiles of a few million samples without sorting. */
class Histogram {
  private static readonly BIN_MS = 0.01;
  private readonly bins = new Uint32Array(200_001);
  count = 0;
  max = 0;
  private sum = 0;

  add(ms: number): void {
    const v = ms < 0 ? 0 : ms;
    this.bins[Math.min(this.bins.length - 1, Math.round(v / Histogram.BIN_MS))]!++;
    this.count++;
    this.sum += v;
    if (v > this.max) this.max = v;
  }

  percentile(p: number): number {
    if (this.count === 0) return Number.NaN;
    const rank = Math.ceil((p / 100) * this.count);
    let seen = 0;
    for (let i = 0; i < this.bins.length; i++) {
      seen += this.bins[i]!;
      if (seen >= rank) return i * Histogram.BIN_MS;
    }
    return this.max;
  }

  mean(): number {
    return this.count === 0 ? Number.NaN : this.sum / this.count;
  }
}

interface Stream {
  index: number;
  baseSeq: number;
  maxSeq: number;
  received: number;
  /** RFC 3550 A.8 state, in RTP timestamp units (8 kHz: 8 units per ms). */
  lastTransit: number;
  jitter: number;
  lastArrivalMs: number;
  /** Timestamp extended past 2^32 wraps. */
  lastTs: number;
  extTs: number;
}

export interface Percentiles { p50: number; p99: number; max: number; mean: number }

export interface WindowReport {
  seconds: number;
  streams: number;
  packets: number;
  expected: number;
  lost: number;
  /** lost / expected. */
  lossRatio: number;
  /** RFC 3550 interarrival jitter after each packet, over all streams, ms. */
  jitterMs: Percentiles;
  /** Transit time less the stream's drift, minus its lowest, over all packets, ms. */
  spreadMs: Percentiles;
  /** Received packets per second per stream (50 for G.711 at 20 ms). */
  packetsPerStreamPerSecond: number;
}

const summary = (h: Histogram): Percentiles => ({
  p50: h.percentile(50), p99: h.percentile(99), max: h.max, mean: h.mean(),
});

export class RtpWindowStats {
  private readonly streams = new Map<string, Stream>();
  private readonly jitter = new Histogram();
  /** Transits are kept per packet: the spread needs each stream's minimum, known only at the end. */
  private transits = new Float64Array(1 << 16);
  private transitStream = new Int32Array(1 << 16);
  private arrivals = new Float64Array(1 << 16);
  private order: Stream[] = [];
  private packets = 0;

  constructor(private readonly clockRate = 8000, private readonly startedAtMs = 0) {}

  /** A packet that arrived at `arrivalMs` (a monotonic clock) with its header fields. */
  add(key: string, seq: number, timestamp: number, arrivalMs: number): void {
    const arrivalUnits = (arrivalMs * this.clockRate) / 1000;
    let s = this.streams.get(key);
    if (s === undefined) {
      const transit = arrivalUnits - timestamp;
      s = { index: this.order.length, baseSeq: seq, maxSeq: seq, received: 0, lastTransit: transit, jitter: 0, lastArrivalMs: arrivalMs, lastTs: timestamp, extTs: timestamp };
      this.streams.set(key, s);
      this.order.push(s);
    } else {
      // Extended sequence number: a step of up to +-32768 from the highest is a move, not a wrap.
      const delta = ((seq - (s.maxSeq & 0xffff) + 0x8000) & 0xffff) - 0x8000;
      const ext = s.maxSeq + delta;
      if (ext > s.maxSeq) s.maxSeq = ext;
      if (ext < s.baseSeq) s.baseSeq = ext;
      // Timestamps wrap at 2^32: extend by the signed 32-bit difference from the previous one.
      let dTs = timestamp - s.lastTs;
      if (dTs > 2 ** 31) dTs -= 2 ** 32;
      else if (dTs < -(2 ** 31)) dTs += 2 ** 32;
      s.extTs += dTs;
      s.lastTs = timestamp;
      // RFC 3550 A.8.
      const transit = arrivalUnits - s.extTs;
      const d = transit - s.lastTransit;
      s.lastTransit = transit;
      s.jitter += (Math.abs(d) - s.jitter) / 16;
      this.jitter.add((s.jitter * 1000) / this.clockRate);
    }
    const transit = arrivalUnits - s.extTs;
    s.received++;
    s.lastArrivalMs = arrivalMs;
    if (this.packets === this.transits.length) this.grow();
    this.transits[this.packets] = transit;
    this.arrivals[this.packets] = arrivalMs - this.startedAtMs;
    this.transitStream[this.packets] = s.index;
    this.packets++;
  }

  private grow(): void {
    const t = new Float64Array(this.transits.length * 2);
    t.set(this.transits);
    this.transits = t;
    const i = new Int32Array(this.transitStream.length * 2);
    i.set(this.transitStream);
    this.transitStream = i;
    const a = new Float64Array(this.arrivals.length * 2);
    a.set(this.arrivals);
    this.arrivals = a;
  }

  /** Streams that received a packet at or after `sinceMs`. */
  activeSince(sinceMs: number): number {
    let n = 0;
    for (const s of this.order) if (s.lastArrivalMs >= sinceMs) n++;
    return n;
  }

  get streamCount(): number {
    return this.order.length;
  }

  /** Transit less each stream's drift line, minus the stream's lowest: ms of delay variation. */
  private spread(): Histogram {
    const n = this.order.length;
    // Per stream: count, sums of x, y, xx, xy (x: arrival ms, y: transit relative to the stream's first).
    const sums = new Float64Array(n * 5);
    const first = new Float64Array(n).fill(Number.NaN);
    for (let p = 0; p < this.packets; p++) {
      const k = this.transitStream[p]!;
      if (Number.isNaN(first[k]!)) first[k] = this.transits[p]!;
      const x = this.arrivals[p]!;
      const y = this.transits[p]! - first[k]!;
      sums[k * 5]! += 1; sums[k * 5 + 1]! += x; sums[k * 5 + 2]! += y; sums[k * 5 + 3]! += x * x; sums[k * 5 + 4]! += x * y;
    }
    const slope = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const [c = 0, sx = 0, sy = 0, sxx = 0, sxy = 0] = sums.subarray(k * 5, k * 5 + 5);
      const den = c * sxx - sx * sx;
      slope[k] = c < 3 || den === 0 ? 0 : (c * sxy - sx * sy) / den;
    }
    const residual = new Float64Array(this.packets);
    const min = new Float64Array(n).fill(Infinity);
    for (let p = 0; p < this.packets; p++) {
      const k = this.transitStream[p]!;
      const r = this.transits[p]! - first[k]! - slope[k]! * this.arrivals[p]!;
      residual[p] = r;
      if (r < min[k]!) min[k] = r;
    }
    const h = new Histogram();
    for (let p = 0; p < this.packets; p++) h.add(((residual[p]! - min[this.transitStream[p]!]!) * 1000) / this.clockRate);
    return h;
  }

  report(endedAtMs: number): WindowReport {
    let expected = 0;
    let received = 0;
    for (const s of this.order) {
      expected += s.maxSeq - s.baseSeq + 1;
      received += s.received;
    }
    const spread = this.spread();
    const seconds = (endedAtMs - this.startedAtMs) / 1000;
    const lost = Math.max(0, expected - received);
    return {
      seconds,
      streams: this.order.length,
      packets: this.packets,
      expected,
      lost,
      lossRatio: expected === 0 ? 0 : lost / expected,
      jitterMs: summary(this.jitter),
      spreadMs: summary(spread),
      packetsPerStreamPerSecond: this.order.length === 0 || seconds <= 0 ? 0 : received / this.order.length / seconds,
    };
  }
}
