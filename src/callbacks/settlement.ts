/**
 * Tracks the promises that async callbacks return, so that `run()` resolves only once every callback
 * started during the run has settled (delivery rule 2). A child process forwards what it tracks to
 * its parent while the parent is running, so a parent's run also waits for its forks' callbacks.
 */
export class SettlementTracker {
  private readonly pending = new Set<Promise<void>>();
  private activeRuns = 0;

  constructor(private readonly parent?: SettlementTracker) {}

  /**
   * Track a promise that never rejects (the emitter has already attached the error handler). Only
   * promises started during a run are waited for: one started between runs must not delay the next.
   */
  track(promise: Promise<void>): void {
    if (this.parent?.isRunning()) this.parent.track(promise);
    if (!this.isRunning()) return;
    this.pending.add(promise);
    void promise.then(() => this.pending.delete(promise)); // never rejects: see emitter
  }

  isRunning(): boolean {
    return this.activeRuns > 0;
  }

  beginRun(): void {
    this.activeRuns++;
  }

  /** Wait until nothing is pending, including promises tracked while waiting, then end the run. */
  async endRun(): Promise<void> {
    try {
      await this.settle();
    } finally {
      this.activeRuns--;
    }
  }

  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all(this.pending);
  }
}
