// A tiny MCP server over stdio for the MCP tool tests. Plain JS so Node runs it directly, resolving
// the SDK and zod from the repo's node_modules.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const server = new McpServer({ name: 'echo-server', version: '1.0.0' });

server.registerTool(
  'add',
  { description: 'Add two numbers', inputSchema: { a: z.number(), b: z.number() } },
  ({ a, b }) => ({ content: [{ type: 'text', text: String(a + b) }] }),
);

server.registerTool(
  'echo',
  { description: 'Echo the text back', inputSchema: { text: z.string() } },
  ({ text }) => ({ content: [{ type: 'text', text }] }),
);

server.registerTool('fail', { description: 'Always fails' }, () => ({
  content: [{ type: 'text', text: 'something went wrong' }],
  isError: true,
}));

server.registerTool(
  'slow',
  { description: 'Answers after a delay', inputSchema: { ms: z.number().optional() } },
  async ({ ms }) => {
    await new Promise((resolve) => setTimeout(resolve, ms ?? 5000));
    return { content: [{ type: 'text', text: 'done' }] };
  },
);

server.registerTool('pid', { description: 'The server process id' }, () => ({
  content: [{ type: 'text', text: String(process.pid) }],
}));

server.registerTool(
  'env',
  { description: 'One environment variable, or "<unset>"', inputSchema: { name: z.string() } },
  ({ name }) => ({ content: [{ type: 'text', text: process.env[name] ?? '<unset>' }] }),
);

server.registerTool('mixed', { description: 'Text, an image and a resource' }, () => ({
  content: [
    { type: 'text', text: 'first' },
    { type: 'image', data: Buffer.from('png-bytes').toString('base64'), mimeType: 'image/png' },
    {
      type: 'resource',
      resource: { uri: 'file:///notes.txt', mimeType: 'text/plain', text: 'hello' },
    },
    { type: 'text', text: 'last' },
  ],
}));

// Goes to stderr, which the client must not let reach the user's terminal by default.
process.stderr.write('echo-server: started\n');
await server.connect(new StdioServerTransport());
