import { AtendeError } from '../core/index.js';

/** The store could not be opened, migrated or reached. */
export class StoreError extends AtendeError {}
