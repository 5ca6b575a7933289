import { addHeader, formatVia, type SipRequest } from '../../sip/message/index.js';
import { newBranch } from '../../sip/transaction/index.js';
import type { SendTarget } from '../../sip/transport/types.js';
import type { CallSignallingDeps } from './types.js';

/** Sends an ACK for a 2xx outside any transaction, with a Via of its own (RFC 3261 13.2.2.4, 17.1.1.3). */
export function sendAck(deps: CallSignallingDeps, ack: SipRequest, target: SendTarget): void {
  if (!ack.headers.some((h) => h.name === 'Via')) {
    const sentBy = deps.viaSentBy(target.protocol, target.address);
    const host = sentBy.host.includes(':') && !sentBy.host.startsWith('[') ? `[${sentBy.host}]` : sentBy.host;
    addHeader(
      ack,
      'Via',
      formatVia({ protocol: 'SIP/2.0', transport: target.protocol.toUpperCase(), host, port: sentBy.port, params: { branch: newBranch(deps.random), rport: null } }),
      'top',
    );
  }
  deps.sender.send(ack, target).catch((err: unknown) => deps.logger.warn({ err }, 'ACK could not be sent'));
}
