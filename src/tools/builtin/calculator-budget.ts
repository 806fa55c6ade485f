/**
 * The calculator's bound on work. Evaluation is synchronous, on the event loop every run and
 * callback shares, so an expression must not be able to hold it: each step of the walk and each turn
 * of a function's loop checks a deadline, and an expression still computing when it passes fails.
 * Sizes are bounded too (see `maxExpressionLength` and `maxIntegerBits`), so that no single step,
 * which cannot be interrupted, runs long on its own.
 */
import { ArithmeticFailure } from './calculator-numbers.js';

/** Milliseconds of computation one expression may take. */
export const calculationBudgetMs = 50;

/** The longest expression accepted, in characters: parsing is linear, but a literal's digits are not. */
export const maxExpressionLength = 10_000;

/** However loaded the machine, an expression gives the event loop back within this much wall time. */
const wallLimitMs = 10 * calculationBudgetMs;

// Evaluation never awaits, so one budget for "the expression being evaluated now" is enough.
let budget: { deadline: number; wallLimit: number; cpuAtStart: NodeJS.CpuUsage } | undefined;

/** Run `compute` with the budget running; the budget is cleared after it, whatever happens. */
export function withCalculationBudget<T>(compute: () => T): T {
  const now = performance.now();
  budget = {
    deadline: now + calculationBudgetMs,
    wallLimit: now + wallLimitMs,
    cpuAtStart: process.cpuUsage(),
  };
  try {
    return compute();
  } finally {
    budget = undefined;
  }
}

/**
 * Throw when the expression being evaluated has used up its time. The budget is CPU time, so that
 * the same expression gets the same answer on a busy machine (where wall time also counts the time
 * other processes ran); the cheap wall clock decides when the CPU time is worth reading.
 */
export function checkCalculationBudget(): void {
  if (!budget) return;
  const now = performance.now();
  if (now <= budget.deadline) return;
  const used = process.cpuUsage(budget.cpuAtStart);
  const cpuMs = (used.user + used.system) / 1000;
  if (cpuMs > calculationBudgetMs || now > budget.wallLimit) {
    throw new ArithmeticFailure(
      `calculation stopped: it takes more than ${String(calculationBudgetMs)} ms`,
    );
  }
  budget.deadline = now + (calculationBudgetMs - cpuMs);
}
