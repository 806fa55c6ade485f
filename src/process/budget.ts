/**
 * Budgets: limits on what one `run()` may spend (tokens, dollars, time). A run's fork and spawn
 * children spend from the budget of the run that made them, so a budget is a chain: a child's run
 * has its own limits (if any) and charges every budget above it.
 */
import { LlmprocError } from '../errors.js';
import type { Usage } from '../conversation/usage.js';

/** Limits of one run; every key optional. Run options override a program's defaults key by key. */
export interface Budget {
  /** Most tokens the run may use: input (cached or not) plus output, summed over its model calls. */
  maxTokens?: number;
  /** Most US dollars the run may spend, priced from the model's price table. */
  maxCostUsd?: number;
  /** Most milliseconds the run may take, from the start of `run()`. */
  timeoutMs?: number;
}

/** Which budget stopped a run; `RunResult.stopReason` is `budget:<kind>`. */
export type BudgetKind = 'tokens' | 'cost' | 'time';

const budgetKeys = ['maxTokens', 'maxCostUsd', 'timeoutMs'] as const;

/** Check user-given limits: each a positive finite number (whole for tokens and time). */
export function checkBudget(budget: Budget, where: string): Budget {
  for (const key of budgetKeys) {
    const value = budget[key];
    if (value === undefined) continue;
    const whole = key !== 'maxCostUsd';
    if (
      typeof value !== 'number' ||
      !Number.isFinite(value) ||
      value <= 0 ||
      (whole && !Number.isInteger(value))
    ) {
      throw new LlmprocError(
        'INVALID_OPTION',
        `${where}: ${key} must be a positive ${whole ? 'integer' : 'number'}; got ${String(value)}`,
      );
    }
  }
  return budget;
}

/** The abort reason of a time budget; `isTimeBudgetAbort` tells it from a caller's abort. */
function timeBudgetReason(): LlmprocError {
  return new LlmprocError('ABORTED', 'The run reached its time budget', {
    details: { budget: 'time' },
  });
}

/** Whether an abort reason is a time budget's (a child's signal carries its parent's). */
export function isTimeBudgetAbort(reason: unknown): boolean {
  return reason instanceof LlmprocError && reason.details?.['budget'] === 'time';
}

/** The tokens a call used, for `maxTokens`: everything the model read and wrote. */
export function tokensOf(usage: Usage): number {
  return usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens + usage.outputTokens;
}

/**
 * The spending of one run against its limits and those of the runs above it. Time is enforced two
 * ways: checked at each step boundary like the others, and by `signal`, which aborts a model call or
 * tool still in flight when the deadline passes (a hung call must not outlive the budget).
 */
export class RunBudget {
  tokens = 0;
  costUsd = 0;
  readonly #limits: Budget;
  readonly #parent: RunBudget | undefined;
  readonly #deadline: number | undefined;
  readonly #controller: AbortController | undefined;
  readonly #timer: NodeJS.Timeout | undefined;

  constructor(limits: Budget, parent?: RunBudget) {
    this.#limits = limits;
    this.#parent = parent;
    const own = limits.timeoutMs === undefined ? undefined : performance.now() + limits.timeoutMs;
    const inherited = parent === undefined ? undefined : parent.#deadline;
    this.#deadline =
      own === undefined ? inherited : inherited === undefined ? own : Math.min(own, inherited);
    if (this.#deadline !== undefined) {
      const controller = new AbortController();
      this.#controller = controller;
      this.#timer = setTimeout(
        () => {
          controller.abort(timeBudgetReason());
        },
        Math.max(0, this.#deadline - performance.now()),
      );
      // The run awaits its own work; the timer alone must not keep Node running.
      this.#timer.unref();
    }
  }

  /** Aborts when the deadline passes; undefined without a time budget. */
  get signal(): AbortSignal | undefined {
    return this.#controller?.signal;
  }

  /** Whether this run or a run above it has a cost limit (then the model needs a price). */
  get limitsCost(): boolean {
    return this.#limits.maxCostUsd !== undefined || (this.#parent?.limitsCost ?? false);
  }

  /** Record a model call's spending here and in every budget above. */
  charge(tokens: number, costUsd: number | null): void {
    this.tokens += tokens;
    if (costUsd !== null) this.costUsd += costUsd;
    this.#parent?.charge(tokens, costUsd);
  }

  /** The first budget reached, here or above (time first: it is the one nobody can wait out). */
  exceeded(): BudgetKind | undefined {
    if (this.#deadline !== undefined && performance.now() >= this.#deadline) return 'time';
    return this.#spendingLimitReached();
  }

  #spendingLimitReached(): BudgetKind | undefined {
    const { maxTokens, maxCostUsd } = this.#limits;
    if (maxTokens !== undefined && this.tokens >= maxTokens) return 'tokens';
    if (maxCostUsd !== undefined && this.costUsd >= maxCostUsd) return 'cost';
    return this.#parent === undefined ? undefined : this.#parent.#spendingLimitReached();
  }

  /** Stop the timer; the run is over. */
  dispose(): void {
    clearTimeout(this.#timer);
  }
}
