import { AtendeError } from '../core/index.js';

/** A caller handed the SDP engine impossible local parameters (a programming error, not wire input). */
export class SdpLocalParametersError extends AtendeError {
  constructor(message: string) {
    super('sdp_local_parameters', message);
  }
}
