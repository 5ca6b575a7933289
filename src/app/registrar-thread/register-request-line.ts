const REGISTER = Buffer.from('REGISTER ');
const CR = 0x0d;
const LF = 0x0a;

/**
 * Whether a message, still unparsed, is a REGISTER request: its request line starts with the
 * method (case-sensitive, RFC 3261 7.1), after the CRLFs a sender may put before it (7.5).
 */
export function isRegisterRequest(data: Uint8Array): boolean {
  let at = 0;
  while (at < data.length && (data[at] === CR || data[at] === LF)) at++;
  if (data.length - at < REGISTER.length) return false;
  for (let i = 0; i < REGISTER.length; i++) if (data[at + i] !== REGISTER[i]) return false;
  return true;
}
