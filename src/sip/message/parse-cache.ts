/**
 * A small memo of typed header-value parses keyed by the value text. One message's values are
 * parsed by parseMessage's validation and then again by the accessors and every layer above
 * (top Via, From/To tags, CSeq, Request-URI): with this, the later parses are a look-up plus
 * a copy. Entries are shared, so they are never handed out: the public parsers return copies
 * (callers mutate params, e.g. Via received/rport).
 *
 * A ring of the last few values compared with `===`, not a Map: hashing a fresh wire string
 * for a Map costs more than parsing a short header value, while `===` on the very string the
 * message holds is a pointer check, and other strings mostly differ in length. The ring also
 * bounds what it keeps alive (a value may be a slice pinning its whole message text).
 */
import { isParseError } from './types.js';
import type { ParseError } from './types.js';

export class ParseCache<T extends object> {
  private readonly keys: (string | undefined)[];
  private readonly values: (T | undefined)[];
  private next = 0;

  constructor(
    private readonly parse: (input: string) => T | ParseError,
    size = 16,
  ) {
    this.keys = new Array<string | undefined>(size).fill(undefined);
    this.values = new Array<T | undefined>(size).fill(undefined);
  }

  /** A remembered parse of `input` (shared: read it, never mutate or hand it out), else undefined. */
  lookup(input: string): T | undefined {
    const keys = this.keys;
    const size = keys.length;
    // Newest first: a value is usually re-read right after its message was parsed.
    for (let k = 1, i = this.next; k <= size; k++) {
      i = i === 0 ? size - 1 : i - 1;
      if (keys[i] === input) return this.values[i];
    }
    return undefined;
  }

  /**
   * Parses `input` and remembers a success. Only parseMessage calls this, for the values every
   * layer re-reads (top Via, From, To, CSeq, Request-URI); one-off values (a Contact) are parsed
   * without being stored.
   */
  remember(input: string): T | ParseError {
    // Each message brings new values, so only the newest entry is worth a look (the same
    // Request-URI or CSeq in a burst); a full scan here would mostly compare in vain.
    const newest = this.next === 0 ? this.keys.length - 1 : this.next - 1;
    if (this.keys[newest] === input) return this.values[newest] as T;
    const parsed = this.parse(input);
    if (!isParseError(parsed)) this.store(input, parsed);
    return parsed;
  }

  /** Remembers `value` as the parse of `input` (text we formatted from it); `value` must not change afterwards. */
  store(input: string, value: T): void {
    this.keys[this.next] = input;
    this.values[this.next] = value;
    this.next = this.next + 1 === this.keys.length ? 0 : this.next + 1;
  }
}
