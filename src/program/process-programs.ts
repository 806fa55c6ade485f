/**
 * Which program started each process. A process reads only its plain configuration; the trace
 * recorder needs the program itself (its configuration and its linked programs, for the header).
 * A fork child has no entry: it runs its parent's program.
 */
import type { LLMProcess } from '../process/process.js';
import type { ProgramConfig } from './config.js';

/** What the recorder reads of a program. */
export interface RecordedProgram {
  readonly config: ProgramConfig;
  readonly linkedPrograms: readonly { name: string; description: string }[];
  getLinkedProgram(name: string): RecordedProgram;
}

const programs = new WeakMap<LLMProcess, RecordedProgram>();

export function rememberProgram(process: LLMProcess, program: RecordedProgram): void {
  programs.set(process, program);
}

/** The program a process (or, for a fork child, its nearest started ancestor) runs. */
export function programOf(process: LLMProcess): RecordedProgram | undefined {
  for (let current: LLMProcess | undefined = process; current; current = current.parent) {
    const program = programs.get(current);
    if (program) return program;
  }
  return undefined;
}
