import type { Clock, TimerHandle } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { Store } from '../store/index.js';

/**
 * Notices configuration written by another process (`atende provision apply`, another node)
 * by polling the store's change counter, and reloads: a running server takes provisioning
 * changes without a restart.
 */
export class ConfigWatcher {
  private version = -1;
  private timer: TimerHandle | undefined;
  private closed = false;
  private running: Promise<void> | undefined;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly reload: () => Promise<void>,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    this.version = await this.store.dataVersion();
    this.schedule();
  }

  private schedule(): void {
    if (this.closed) return;
    this.timer = this.clock.setTimer(this.intervalMs, () => {
      this.running = this.check().finally(() => this.schedule());
    });
  }

  /** Reloads when the store changed since the last look. */
  async check(): Promise<void> {
    try {
      const v = await this.store.dataVersion();
      if (v === this.version) return;
      this.version = v;
      await this.reload();
      this.logger.info({ version: v }, 'configuration reloaded');
    } catch (err) {
      this.logger.error({ err }, 'configuration reload failed');
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.clock.clearTimer(this.timer);
    await this.running;
  }
}
