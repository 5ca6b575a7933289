import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRequest, createResponse } from '../message/index.js';
import type { HeaderField } from '../message/index.js';
import { dialogFromUacResponse, dialogFromUasResponse } from './dialog-creation.js';
import { uasDialog } from './dialog-fixtures.js';
import { processInDialogRequest, processInDialogResponse } from './in-dialog-processing.js';
import { acceptReliableProvisional } from './prack-client.js';
import { negotiateSessionTimerAsUas } from './session-timer-negotiation.js';

const NAMES = ['From', 'To', 'Call-ID', 'CSeq', 'Contact', 'Record-Route', 'Session-Expires', 'Min-SE', 'RSeq', 'Require', 'RAck'];

const headers = fc.array(
  fc.record({ name: fc.constantFrom(...NAMES), value: fc.string({ maxLength: 40 }) }),
  { maxLength: 12 },
) as fc.Arbitrary<HeaderField[]>;

describe('wire input never throws', () => {
  it('dialog functions return results for arbitrary header values', () => {
    fc.assert(
      fc.property(headers, fc.constantFrom('INVITE', 'BYE', 'UPDATE', 'ACK', 'PRACK'), fc.integer({ min: 100, max: 699 }), (hs, method, status) => {
        const req = createRequest({ method, uri: 'sip:x@y', headers: hs });
        const res = createResponse(req, status, undefined, { toTag: 't', headers: hs });
        expect(() => {
          dialogFromUasResponse(req, res);
          dialogFromUacResponse(req, res);
          processInDialogRequest(uasDialog(), req);
          processInDialogResponse(uasDialog(), res);
          acceptReliableProvisional(uasDialog(), res);
          negotiateSessionTimerAsUas(req);
        }).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});
