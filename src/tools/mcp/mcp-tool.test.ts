import { describe, expect, it } from 'vitest';
import { toToolResult } from './mcp-tool.js';

describe('toToolResult', () => {
  it('joins text items with a newline', () => {
    const result = toToolResult('srv__t', {
      content: [
        { type: 'text', text: 'a' },
        { type: 'text', text: 'b' },
      ],
    });
    expect(result.toJSON()).toEqual({ content: 'a\nb', isError: false, abortExecution: false });
  });

  it('describes audio, blob resources and resource links as JSON without their payload', () => {
    const result = toToolResult('srv__t', {
      content: [
        { type: 'audio', data: 'AAAA', mimeType: 'audio/wav' },
        { type: 'resource', resource: { uri: 'file:///a.bin', blob: 'AAE=' } },
        { type: 'resource_link', uri: 'file:///b.txt', name: 'b', description: 'the b file' },
      ],
    });
    expect(result.content).toBe(
      [
        '{"type":"audio","mimeType":"audio/wav","bytes":3}',
        '{"type":"resource","uri":"file:///a.bin","bytes":2}',
        '{"type":"resource_link","uri":"file:///b.txt","name":"b","description":"the b file"}',
      ].join('\n'),
    );
  });

  it('falls back to structuredContent as JSON when there are no content items', () => {
    const result = toToolResult('srv__t', { content: [], structuredContent: { sum: 5 } });
    expect(result.content).toBe('{"sum":5}');
  });

  it('gives an empty text for a result with no content at all', () => {
    expect(toToolResult('srv__t', { content: [] }).content).toBe('');
  });

  it('accepts the pre-2024-11 toolResult form', () => {
    expect(toToolResult('srv__t', { content: [], toolResult: { ok: true } }).content).toBe(
      '{"ok":true}',
    );
    expect(toToolResult('srv__t', { toolResult: 'plain' }).content).toBe('plain');
  });

  it('marks an isError result as an error with the joined text', () => {
    const result = toToolResult('srv__t', {
      content: [{ type: 'text', text: 'nope' }],
      isError: true,
    });
    expect(result.toJSON()).toEqual({ content: 'nope', isError: true, abortExecution: false });
  });

  it('turns a malformed result into an error naming the tool', () => {
    const result = toToolResult('srv__t', { content: [{ type: 'video' }] });
    expect(result.isError).toBe(true);
    expect(result.content).toMatch(
      /^MCP tool 'srv__t' failed: the server sent a malformed result: /,
    );
  });
});
