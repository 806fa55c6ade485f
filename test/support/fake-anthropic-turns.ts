import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RequestBody {
  model: string;
  messages: { role: string; content: string | { type: string }[] }[];
}

/** The first user message's text: which run (conversation) a request belongs to. */
function conversationOf(body: RequestBody): string {
  const first = body.messages[0]?.content;
  if (typeof first === 'string') return first;
  const text = first?.find((block) => block.type === 'text') as { text?: string } | undefined;
  return text?.text ?? '';
}

/** How many tool results the conversation holds: the index of the turn being asked for. */
function turnOf(body: RequestBody): number {
  return body.messages.filter(
    (m) => Array.isArray(m.content) && m.content.some((block) => block.type === 'tool_result'),
  ).length;
}

export interface FakeAnthropic {
  url: string;
  /** Requests seen, per conversation and turn (`"<conversation>#<turn>"`). */
  requests: Map<string, number>;
  /** Every request body, in arrival order. */
  bodies: RequestBody[];
  /** Resolves when the held request has arrived. */
  held: Promise<void>;
  close(): Promise<void>;
}

/**
 * A local Anthropic Messages API that asks for the `tick` tool `toolTurns` times (tick 1, 2, ...),
 * then answers "Ticked N times.". The first request for turn `holdTurn` (0-based) of any
 * conversation is never answered: the test kills the worker while it waits. Conversations whose
 * first message says so fail on purpose: "bad request" gets a 400, "overloaded N" gets a 529 for
 * its first N requests, "wait forever" is never answered.
 */
export async function startFakeAnthropic(options: {
  toolTurns: number;
  holdTurn?: number;
}): Promise<FakeAnthropic> {
  const requests = new Map<string, number>();
  const bodies: RequestBody[] = [];
  let markHeld: () => void = () => undefined;
  const held = new Promise<void>((resolve) => {
    markHeld = resolve;
  });
  let holding = false;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as RequestBody;
      bodies.push(body);
      const turn = turnOf(body);
      const key = `${conversationOf(body)}#${String(turn)}`;
      requests.set(key, (requests.get(key) ?? 0) + 1);
      const conversation = conversationOf(body);
      if (conversation.includes('wait forever')) return;
      const overloaded = /overloaded (\d+)/.exec(conversation);
      const failures = overloaded ? Number(overloaded[1]) : 0;
      if (conversation.includes('bad request') || (requests.get(key) ?? 0) <= failures) {
        const status = conversation.includes('bad request') ? 400 : 529;
        const type = status === 400 ? 'invalid_request_error' : 'overloaded_error';
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ type: 'error', error: { type, message: `fake ${type}` } }));
        return;
      }
      if (turn === options.holdTurn && !holding) {
        holding = true;
        markHeld();
        return; // never answered
      }
      const content =
        turn < options.toolTurns
          ? [
              {
                type: 'tool_use',
                id: `toolu_${String(turn)}`,
                name: 'tick',
                input: { n: turn + 1 },
              },
            ]
          : [{ type: 'text', text: `Ticked ${String(turn)} times.` }];
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: `msg_${String(turn)}`,
          type: 'message',
          role: 'assistant',
          model: body.model,
          content,
          stop_reason: turn < options.toolTurns ? 'tool_use' : 'end_turn',
          stop_sequence: null,
          usage: { input_tokens: 10, output_tokens: 5 },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${String(port)}`,
    requests,
    bodies,
    held,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
