// A local stand-in for the Anthropic Messages API, for benchmarks: it asks for the `noop` tool until
// the conversation holds `toolTurns` tool results, then answers with text. JSON or SSE, as asked.
import http from 'node:http';

export function reply(body, toolTurns) {
  const results = body.messages.filter(
    (m) =>
      m.role === 'user' &&
      Array.isArray(m.content) &&
      m.content.some((b) => b.type === 'tool_result'),
  ).length;
  const content =
    results < toolTurns
      ? [{ type: 'tool_use', id: `toolu_${results}`, name: 'noop', input: { i: results } }]
      : [{ type: 'text', text: 'All tools ran. Done.' }];
  return {
    id: `msg_${results}`,
    type: 'message',
    role: 'assistant',
    model: body.model,
    content,
    stop_reason: content[0].type === 'tool_use' ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    usage: {
      input_tokens: 100 + results * 20,
      output_tokens: 20,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    },
  };
}

function sse(message) {
  const frames = [];
  const push = (event, data) =>
    frames.push(`event: ${event}\ndata: ${JSON.stringify({ type: event, ...data })}\n\n`);
  push('message_start', {
    message: {
      ...message,
      content: [],
      stop_reason: null,
      usage: { ...message.usage, output_tokens: 1 },
    },
  });
  message.content.forEach((block, index) => {
    if (block.type === 'text') {
      push('content_block_start', { index, content_block: { type: 'text', text: '' } });
      for (const piece of block.text.match(/.{1,8}/g))
        push('content_block_delta', { index, delta: { type: 'text_delta', text: piece } });
    } else {
      push('content_block_start', { index, content_block: { ...block, input: {} } });
      push('content_block_delta', {
        index,
        delta: { type: 'input_json_delta', partial_json: JSON.stringify(block.input) },
      });
    }
    push('content_block_stop', { index });
  });
  push('message_delta', {
    delta: { stop_reason: message.stop_reason, stop_sequence: null },
    usage: { output_tokens: message.usage.output_tokens },
  });
  push('message_stop', {});
  return frames.join('');
}

export async function startFakeAnthropic(toolTurns) {
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const message = reply(body, toolTurns);
      if (body.stream) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(sse(message));
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(message));
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(r);
      }),
  };
}
