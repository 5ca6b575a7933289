import { isIP } from 'node:net';

/** Validation of an address block written as `address/prefix` or a bare address (one host). */
export type CidrCheck = { ok: true } | { ok: false; message: string };

function ipv4Bytes(text: string): number[] {
  return text.split('.').map(Number);
}

/** The 16 bytes of an IPv6 address already accepted by isIP (handles `::` and a dotted IPv4 tail). */
function ipv6Bytes(text: string): number[] {
  let t = text;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(t);
  if (dotted) {
    const [a = 0, b = 0, c = 0, d = 0] = dotted.slice(1).map(Number);
    t = `${t.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const groups = (s: string): number[] => (s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
  const [left = '', right] = t.split('::');
  const l = groups(left);
  const r = right === undefined ? [] : groups(right);
  const zeros = right === undefined ? 0 : 8 - l.length - r.length;
  return [...l, ...new Array<number>(zeros).fill(0), ...r].flatMap((g) => [(g >> 8) & 0xff, g & 0xff]);
}

function formatBytes(bytes: number[], family: 4 | 6): string {
  if (family === 4) return bytes.join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}

/** Checks a CIDR block; a block with host bits set is rejected with the block it probably meant. */
export function checkCidr(text: string): CidrCheck {
  const example = 'address/prefix, e.g. 10.0.0.0/8 or 2001:db8::/32';
  const slash = text.indexOf('/');
  const address = slash < 0 ? text : text.slice(0, slash);
  const family = isIP(address);
  if (family !== 4 && family !== 6) return { ok: false, message: `"${text}" is not an address block (${example})` };
  const bits = family === 4 ? 32 : 128;
  if (slash < 0) return { ok: true };
  const prefixText = text.slice(slash + 1);
  const prefix = /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!(prefix >= 0 && prefix <= bits)) {
    return { ok: false, message: `"${text}" has an invalid prefix length (0 to ${bits} for IPv${family})` };
  }
  const bytes = family === 4 ? ipv4Bytes(address) : ipv6Bytes(address);
  const masked = bytes.map((b, i) => {
    const keep = Math.max(0, Math.min(8, prefix - i * 8));
    return b & ((0xff << (8 - keep)) & 0xff);
  });
  if (masked.some((b, i) => b !== bytes[i])) {
    return { ok: false, message: `"${text}" has host bits set; did you mean ${formatBytes(masked, family)}/${prefix}?` };
  }
  return { ok: true };
}
