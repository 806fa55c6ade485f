/**
 * Each adapter's mapping of image and document blocks, for the sources the recorded exchanges do not
 * cover (https URLs, a type the API does not take, an over-limit tool image). The base64 forms are
 * checked against the recordings in test/content-parts.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { DocumentBlock, ImageBlock, Message } from '../conversation/messages.js';
import { toAnthropicMessages } from './anthropic/request.js';
import { toChatMessages } from './openai/chat/request.js';
import { toResponsesInput } from './openai/responses/request.js';
import { toGeminiContents } from './gemini/request.js';

const imageUrl: ImageBlock = {
  type: 'image',
  source: { type: 'url', url: 'https://example.com/cat.png', media_type: 'image/png' },
};
const pdfUrl: DocumentBlock = {
  type: 'document',
  source: { type: 'url', url: 'https://example.com/report.pdf', media_type: 'application/pdf' },
  title: 'report.pdf',
};
const heic: ImageBlock = {
  type: 'image',
  source: { type: 'base64', media_type: 'image/heic', data: 'AAAA' },
};
const ask = (...blocks: (ImageBlock | DocumentBlock)[]): Message[] => [
  { role: 'user', content: [{ type: 'text', text: 'Look' }, ...blocks] },
];

describe('image and document URLs', () => {
  it('anthropic: url sources, the document with its title', () => {
    expect(
      toAnthropicMessages(ask(imageUrl, pdfUrl), { promptCaching: false })[0]?.content,
    ).toEqual([
      { type: 'text', text: 'Look' },
      { type: 'image', source: { type: 'url', url: 'https://example.com/cat.png' } },
      {
        type: 'document',
        source: { type: 'url', url: 'https://example.com/report.pdf' },
        title: 'report.pdf',
      },
    ]);
  });

  it('openai chat: image_url with the URL; a document URL only as a placeholder', () => {
    expect(toChatMessages('', ask(imageUrl, pdfUrl))).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Look' },
          { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } },
          {
            type: 'text',
            text: '[document: report.pdf, application/pdf, https://example.com/report.pdf, not sent: openai (Chat Completions) takes no document URLs]',
          },
        ],
      },
    ]);
  });

  it('openai responses: input_image with the URL, input_file with file_url', () => {
    expect(toResponsesInput(ask(imageUrl, pdfUrl))).toEqual([
      {
        role: 'user',
        content: [
          { type: 'input_text', text: 'Look' },
          { type: 'input_image', image_url: 'https://example.com/cat.png', detail: 'auto' },
          { type: 'input_file', file_url: 'https://example.com/report.pdf' },
        ],
      },
    ]);
  });

  it('gemini: fileData with the URL and its media type', () => {
    expect(toGeminiContents(ask(imageUrl, pdfUrl))[0]?.parts).toEqual([
      { text: 'Look' },
      { fileData: { fileUri: 'https://example.com/cat.png', mimeType: 'image/png' } },
      { fileData: { fileUri: 'https://example.com/report.pdf', mimeType: 'application/pdf' } },
    ]);
  });
});

describe('what an API cannot take is described, never dropped', () => {
  it('anthropic: an image type checked for another provider becomes a placeholder text', () => {
    expect(toAnthropicMessages(ask(heic), { promptCaching: false })[0]?.content[1]).toEqual({
      type: 'text',
      text: '[image: image/heic, 3 B, not sent: anthropic does not take image/heic]',
    });
  });

  it('anthropic: a tool image over the 5 MB base64 limit is described in the tool result', () => {
    const big: ImageBlock = {
      type: 'image',
      source: { type: 'base64', media_type: 'image/png', data: 'A'.repeat(6 * 1024 * 1024) },
    };
    const messages: Message[] = [
      { role: 'user', content: 'Screenshot please' },
      { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'shot', input: {} }] },
      {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: 't1',
            content: 'done',
            is_error: false,
            images: [big],
          },
        ],
      },
    ];
    expect(toAnthropicMessages(messages, { promptCaching: false })[2]?.content[0]).toEqual({
      type: 'tool_result',
      tool_use_id: 't1',
      is_error: false,
      content: [
        { type: 'text', text: 'done' },
        {
          type: 'text',
          text: "[image: image/png, 4.5 MB, not sent: over anthropic's limit of 3.8 MB per image]",
        },
      ],
    });
  });
});
