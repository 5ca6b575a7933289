/**
 * An inbound leg reads its INVITE's offer several times in a row (its address family, which
 * endpoint kind, then the answer): the last parse is remembered so the SDP is parsed once per call.
 */
import { parseSessionDescription } from '../../sdp/index.js';

let lastParse: { text: string; parsed: ReturnType<typeof parseSessionDescription> } | undefined;

/** `parseSessionDescription`, answered from memory when the text is the one parsed last. */
export function parseRemembered(text: string): ReturnType<typeof parseSessionDescription> {
  if (lastParse !== undefined && lastParse.text === text) return lastParse.parsed;
  const parsed = parseSessionDescription(text);
  lastParse = { text, parsed };
  return parsed;
}
