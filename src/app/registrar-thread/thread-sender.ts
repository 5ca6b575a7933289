import { serializeMessage, type SipMessage } from '../../sip/message/index.js';
import {
  isReliableProtocol,
  prepareResponse,
  sendResponseWith,
  TransportError,
  type InboundMessage,
  type MessageSender,
  type PreparedResponse,
  type SendTarget,
  type TransportProtocol,
} from '../../sip/transport/index.js';
import type { OutboundBytes } from './protocol.js';

/**
 * The registrar thread's transport: it owns no socket, so what it sends is serialized here and
 * handed to the main thread, which owns the socket the request came in on. A send that fails
 * there is logged there; the transactions here see every send succeed, as with UDP.
 */
export class ThreadSender implements MessageSender {
  constructor(private readonly post: (out: OutboundBytes) => void) {}

  async send(message: SipMessage, target: SendTarget): Promise<void> {
    this.post({ bytes: new Uint8Array(serializeMessage(message)), target });
  }

  sendResponse(message: SipMessage, inbound?: InboundMessage): Promise<void> {
    return sendResponseWith(this, message, inbound);
  }

  prepareResponse(message: SipMessage, inbound?: InboundMessage): PreparedResponse | TransportError {
    const prepared = prepareResponse(message, inbound);
    return typeof prepared === 'string' ? new TransportError(prepared) : prepared;
  }

  async sendPrepared(prepared: PreparedResponse): Promise<void> {
    this.post({ ...prepared, bytes: new Uint8Array(prepared.bytes) });
  }

  isReliable(protocol: TransportProtocol): boolean {
    return isReliableProtocol(protocol);
  }
}
