/**
 * The regression test of docs/traces.md ("A regression test from a trace"), as written there, on a
 * trace kept in the repository: it fails when the calculator or the program changes what the model
 * would be sent.
 */
import { LLMProgram } from '../src/index.js';
import { expect, it } from 'vitest';

it('answers from the recorded run and calls the calculator once', async () => {
  const proc = await LLMProgram.fromTrace('test/traces/calculator.jsonl').start();
  const events: string[] = [];
  proc.addCallback((event, ...args) => {
    if (event === 'tool_start') events.push(`${event} ${String(args[0])}`);
  });
  const result = await proc.run('What is 6*7?');
  expect(events).toEqual(['tool_start calculator']);
  expect(result.lastMessage).toBe('It is 42.');
});

it('fails, naming the turn and the field, when the input is not the recorded one', async () => {
  const proc = await LLMProgram.fromTrace('test/traces/calculator.jsonl').start();
  await expect(proc.run('What is 6*8?')).rejects.toThrow(
    'left the recording in process 1 ("Mock mock"), turn 1: the request differs at messages[0].content: recorded "What is 6*7?", replayed "What is 6*8?"',
  );
});
