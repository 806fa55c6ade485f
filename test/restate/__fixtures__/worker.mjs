// A durable worker for the Restate tests: a four-turn tool program against a fake Anthropic server.
// Its tool and its callback write to files outside this process, so a test can count what really
// happened across a SIGKILL. Prints "listening <url>" once its endpoint is up.
import { appendFileSync } from 'node:fs';
import { LLMProgram, defineTool } from '../../../dist/index.js';
import { restateService, serveRestate } from '../../../dist/restate.js';

const { FAKE_URL, EVENTS_FILE, TICKS_FILE, WORKER_ID = 'w', SERVICE_NAME = 'ticker' } = process.env;

const tick = defineTool({
  name: 'tick',
  description: 'Count one tick',
  parameters: { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] },
  execute: ({ n }, context) => {
    const run = context.process.getState()[0]?.content;
    appendFileSync(TICKS_FILE, `${JSON.stringify({ worker: WORKER_ID, run, n })}\n`);
    return `tick ${n} done`;
  },
});

const program = new LLMProgram({
  model: 'claude-test',
  provider: 'anthropic',
  baseUrl: FAKE_URL,
  systemPrompt: 'Tick as asked.',
  tools: [tick],
  parameters: { max_tokens: 256 },
  maxIterations: 10,
});

// What identifies an event within a run, so a test can spot an event delivered twice.
function identity(event, args) {
  switch (event) {
    case 'turn_start':
      return args[0].getState().length;
    case 'api_request':
      return args[0].messages.length;
    case 'api_response':
    case 'turn_end':
      return event === 'turn_end' ? args[1].id : args[0].id;
    case 'tool_start':
      return args[1].n;
    case 'tool_end':
      return args[1].content;
    case 'run_end':
      return args[0].status;
    default:
      return args[0];
  }
}

const recorder = (event, ...args) => {
  const conversation = args.at(-1).process.getState()[0]?.content;
  appendFileSync(
    EVENTS_FILE,
    `${JSON.stringify({ worker: WORKER_ID, run: conversation, event, id: identity(event, args) })}\n`,
  );
};

const service = restateService(program, {
  name: SERVICE_NAME,
  callbacks: [recorder],
  retryPolicy: { initialInterval: 100, maxInterval: 500 },
});
const worker = await serveRestate([service], { port: Number(process.env.PORT ?? 0) });
process.stdout.write(`listening ${worker.url}\n`);
process.once('SIGTERM', () => {
  void worker.close().then(() => process.exit(0));
});
