import { AtendeError } from '../../core/index.js';

/** A media command that failed: its code says why (unknown_endpoint, worker_crashed, pool_closed...). */
export class MediaWorkerError extends AtendeError {}
