// baresip's ctrl_tcp protocol: netstring-framed JSON. Commands
// {"command":"dial","params":"sip:...","token":"t1"} get {"response":true,"ok":..,"data":..,"token":"t1"};
// events arrive unasked as {"event":true,"class":"call","type":"CALL_ESTABLISHED",...}.
import { connect } from 'node:net';
import type { Socket } from 'node:net';

export interface BaresipEvent {
  type: string;
  class?: string;
  accountaor?: string;
  direction?: string;
  peeruri?: string;
  id?: string;
  param?: string;
  [key: string]: unknown;
}

export interface BaresipResponse { ok: boolean; data: string; token?: string }

export function encodeNetstring(payload: string): Buffer {
  const body = Buffer.from(payload, 'utf8');
  return Buffer.concat([Buffer.from(`${body.length}:`), body, Buffer.from(',')]);
}

/** Splits complete netstrings off `buffer`; returns the payloads and the unconsumed rest. */
export function decodeNetstrings(buffer: Buffer): { payloads: string[]; rest: Buffer } {
  const payloads: string[] = [];
  let rest = buffer;
  for (;;) {
    const colon = rest.indexOf(0x3a);
    if (colon < 0) break;
    const len = Number.parseInt(rest.subarray(0, colon).toString('ascii'), 10);
    if (!Number.isInteger(len) || len < 0) { rest = Buffer.alloc(0); break; } // desynchronised: drop
    if (rest.length < colon + 1 + len + 1) break;
    payloads.push(rest.subarray(colon + 1, colon + 1 + len).toString('utf8'));
    rest = rest.subarray(colon + 1 + len + 1);
  }
  return { payloads, rest };
}

interface Waiter { match: (e: BaresipEvent) => boolean; resolve: (e: BaresipEvent) => void }

export class BaresipControl {
  /** Every event received so far, oldest first (waitForEvent also looks back here). */
  readonly events: BaresipEvent[] = [];
  private buffer: Buffer = Buffer.alloc(0);
  private readonly waiters = new Set<Waiter>();
  private readonly pending = new Map<string, (r: BaresipResponse) => void>();
  private tokens = 0;
  private closed = false;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => { /* the process going away closes the socket; callers time out */ });
  }

  static async connect(port: number, timeoutMs: number): Promise<BaresipControl> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      try {
        const socket = await new Promise<Socket>((resolve, reject) => {
          const s = connect(port, '127.0.0.1', () => resolve(s));
          s.once('error', reject);
        });
        return new BaresipControl(socket);
      } catch (err) {
        if (performance.now() > deadline) throw new Error(`baresip ctrl_tcp on ${port} not reachable: ${String(err)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  private onData(chunk: Buffer): void {
    const { payloads, rest } = decodeNetstrings(Buffer.concat([this.buffer, chunk]));
    this.buffer = rest;
    for (const payload of payloads) {
      let msg: Record<string, unknown>;
      try { msg = JSON.parse(payload) as Record<string, unknown>; } catch { continue; }
      if (msg['event'] === true && typeof msg['type'] === 'string') {
        const event = msg as BaresipEvent;
        this.events.push(event);
        for (const w of [...this.waiters]) if (w.match(event)) { this.waiters.delete(w); w.resolve(event); }
      } else if (msg['response'] === true) {
        const token = typeof msg['token'] === 'string' ? msg['token'] : '';
        const done = this.pending.get(token);
        this.pending.delete(token);
        done?.({ ok: msg['ok'] === true, data: typeof msg['data'] === 'string' ? msg['data'] : '', token });
      }
    }
  }

  command(command: string, params = '', timeoutMs = 5000): Promise<BaresipResponse> {
    const token = `t${++this.tokens}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { this.pending.delete(token); reject(new Error(`baresip: no response to ${command}`)); }, timeoutMs);
      this.pending.set(token, (r) => { clearTimeout(timer); resolve(r); });
      this.socket.write(encodeNetstring(JSON.stringify({ command, params, token })));
    });
  }

  /** Next event of `type` (or one already received since `since`, an index into `events`). */
  waitForEvent(type: string, timeoutMs: number, since = 0, match: (e: BaresipEvent) => boolean = () => true): Promise<BaresipEvent> {
    const seen = this.events.slice(since).find((e) => e.type === type && match(e));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        match: (e) => e.type === type && match(e),
        resolve: (e) => { clearTimeout(timer); resolve(e); },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`baresip: no ${type} in ${timeoutMs} ms; got ${this.events.map((e) => e.type).join(', ')}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.destroy();
  }
}
