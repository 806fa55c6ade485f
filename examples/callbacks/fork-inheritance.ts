/**
 * Callback inheritance (the guide's last section): a forked process starts with a copy of its
 * parent's callback list, so the parent's callbacks see the child's events. The EventContext tells
 * them apart: `pid` is the process that emitted the event, `parentPid` its parent's.
 *
 *   node examples/callbacks/fork-inheritance.ts [config.toml]
 */
import path from 'node:path';
import { LLMProgram, type Callbacks, type EventContext } from 'llmproc';

function who(context: EventContext): string {
  return context.parentPid === undefined
    ? `pid ${String(context.pid)}`
    : `pid ${String(context.pid)} (child of ${String(context.parentPid)})`;
}

const myCallback: Callbacks = {
  turn_start: (_process, context) => {
    console.log(`${who(context)}: turn_start`);
  },
  tool_start: (toolName, _toolArgs, context) => {
    console.log(`${who(context)}: tool_start ${toolName}`);
  },
  response: (text, context) => {
    console.log(`${who(context)}: response ${text}`);
  },
};

const configPath = process.argv[2] ?? path.join(import.meta.dirname, 'calculator.toml');
const parent = await LLMProgram.fromFile(configPath).start();
parent.addCallback(myCallback);

await parent.run('What is 6 * 7?');

// The child copies the parent's conversation and callbacks; from here on the two are independent.
const child = await parent.forkProcess();
console.log(
  `forked pid ${String(child.pid)} from pid ${String(parent.pid)}, with ${String(child.getCallbacks().length)} inherited callback(s)`,
);

const result = await child.run('And what is 7 * 8?');
console.log(`child answered: ${result.lastMessage}`);
console.log(
  `messages: parent ${String(parent.getState().length)}, child ${String(child.getState().length)}`,
);
await child.close();
await parent.close();
