import type { SipMessage } from '../message/types.js';
import { TransportError } from './transport-error.js';
import type { InboundMessage, MessageSender } from './types.js';

/** `sendResponse` of any MessageSender: prepared where RFC 3261 18.2.2 says, then sent. */
export async function sendResponseWith(
  sender: Pick<MessageSender, 'prepareResponse' | 'sendPrepared'>,
  message: SipMessage,
  inbound?: InboundMessage,
): Promise<void> {
  const prepared = sender.prepareResponse(message, inbound);
  if (prepared instanceof TransportError) throw prepared;
  await sender.sendPrepared(prepared);
}
