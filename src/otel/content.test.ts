import { describe, expect, it } from 'vitest';
import { inputMessages } from './content.js';

describe('inputMessages', () => {
  it('gives images and documents as blob or uri parts, a tool image after its response', () => {
    const image = {
      type: 'image' as const,
      source: { type: 'base64' as const, media_type: 'image/png', data: 'iVBORw0KGgo=' },
    };
    expect(
      inputMessages([
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Compare' },
            image,
            {
              type: 'document',
              source: {
                type: 'url',
                url: 'https://example.com/a.pdf',
                media_type: 'application/pdf',
              },
            },
          ],
        },
        { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'shot', input: {} }] },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: 't1',
              content: 'ok',
              is_error: false,
              images: [image],
            },
          ],
        },
      ]),
    ).toEqual([
      {
        role: 'user',
        parts: [
          { type: 'text', content: 'Compare' },
          { type: 'blob', modality: 'image', mime_type: 'image/png', content: 'iVBORw0KGgo=' },
          {
            type: 'uri',
            modality: 'document',
            mime_type: 'application/pdf',
            uri: 'https://example.com/a.pdf',
          },
        ],
      },
      { role: 'assistant', parts: [{ type: 'tool_call', id: 't1', name: 'shot', arguments: {} }] },
      {
        role: 'tool',
        parts: [
          { type: 'tool_call_response', id: 't1', result: 'ok' },
          { type: 'blob', modality: 'image', mime_type: 'image/png', content: 'iVBORw0KGgo=' },
        ],
      },
    ]);
  });
});
