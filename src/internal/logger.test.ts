import { afterEach, describe, expect, it, vi } from 'vitest';
import { getLogger } from './logger.js';

describe('the default logger', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('collapses a repeated warning into one line and a count', () => {
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    const logger = getLogger();
    for (let i = 0; i < 1000; i++) logger.warn('Error in tool_start callback: boom');
    logger.warn('Error in tool_end callback: bang');
    logger.warn('Error in tool_end callback: bang');
    logger.warn('something else');
    expect(written).toEqual([
      'llmproc warn: Error in tool_start callback: boom\n',
      'llmproc warn: (the line above repeated 999 more times)\n',
      'llmproc warn: Error in tool_end callback: bang\n',
      'llmproc warn: (the line above repeated once more)\n',
      'llmproc warn: something else\n',
    ]);
  });
});
