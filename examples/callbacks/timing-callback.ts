/**
 * The guide's TimingCallback: how many times each tool ran and how long it took. It uses the
 * EventContext's `time` and `pid`, so two processes running the same tool at once (fork children
 * sharing this callback) do not mix up their start times.
 *
 *   node examples/callbacks/timing-callback.ts [config.toml]
 */
import path from 'node:path';
import { LLMProgram, type Callbacks, type EventContext, type ToolResult } from 'llmproc';

interface ToolStats {
  calls: number;
  totalTime: number;
  avgTime: number;
}

class TimingCallback implements Callbacks {
  readonly tools = new Map<string, { calls: number; totalTime: number }>();
  readonly currentTools = new Map<string, number>();

  tool_start(toolName: string, _toolArgs: Record<string, unknown>, context: EventContext): void {
    const entry = this.tools.get(toolName) ?? { calls: 0, totalTime: 0 };
    entry.calls += 1;
    this.tools.set(toolName, entry);
    this.currentTools.set(`${String(context.pid)}:${toolName}`, context.time);
  }

  tool_end(toolName: string, _result: ToolResult, context: EventContext): void {
    const key = `${String(context.pid)}:${toolName}`;
    const started = this.currentTools.get(key);
    const entry = this.tools.get(toolName);
    if (started !== undefined && entry) {
      entry.totalTime += context.time - started;
      this.currentTools.delete(key);
    }
  }

  getStats(): Record<string, ToolStats> {
    const stats: Record<string, ToolStats> = {};
    for (const [name, { calls, totalTime }] of this.tools) {
      stats[name] = { calls, totalTime, avgTime: calls > 0 ? totalTime / calls : 0 };
    }
    return stats;
  }
}

const configPath = process.argv[2] ?? path.join(import.meta.dirname, 'calculator.toml');
const timing = new TimingCallback();
const proc = await LLMProgram.fromFile(configPath).start().addCallback(timing);

await proc.run('What is 6 * 7?');
for (const [name, { calls, totalTime, avgTime }] of Object.entries(timing.getStats())) {
  console.log(
    `${name}: ${String(calls)} call(s), total ${totalTime.toFixed(2)} ms, average ${avgTime.toFixed(2)} ms`,
  );
}
await proc.close();
