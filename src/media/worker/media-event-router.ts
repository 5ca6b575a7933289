import type { Logger } from '../../core/index.js';
import type { EndpointId, MediaEvent } from './protocol.js';

export type MediaEventListener = (event: MediaEvent) => void;

/**
 * Who hears the workers' events: subscribers of one endpoint, then everyone's subscribers. A
 * listener that throws is logged; the others still hear the event.
 */
export class MediaEventRouter {
  private readonly listeners = new Set<MediaEventListener>();
  private readonly endpointListeners = new Map<EndpointId, Set<MediaEventListener>>();

  constructor(private readonly logger: Logger) {}

  on(listener: MediaEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onEndpoint(endpoint: EndpointId, listener: MediaEventListener): () => void {
    let set = this.endpointListeners.get(endpoint);
    if (!set) this.endpointListeners.set(endpoint, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.endpointListeners.get(endpoint) === set) this.endpointListeners.delete(endpoint);
    };
  }

  dispatch(event: MediaEvent): void {
    const deliver = (fn: MediaEventListener): void => {
      try {
        fn(event);
      } catch (err) {
        this.logger.warn({ err, ev: event.ev }, 'media event listener threw');
      }
    };
    const own = 'endpoint' in event ? this.endpointListeners.get(event.endpoint) : undefined;
    if (own) for (const fn of [...own]) deliver(fn);
    for (const fn of [...this.listeners]) deliver(fn);
  }

  clear(): void {
    this.listeners.clear();
    this.endpointListeners.clear();
  }
}
