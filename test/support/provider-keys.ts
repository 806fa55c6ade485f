/** What tests of the real providers against recorded exchanges share: fake API keys. */
import { afterAll, beforeAll } from 'vitest';

const keys = ['ANTHROPIC_API_KEY', 'OPENAI_API_KEY', 'GEMINI_API_KEY'];

/**
 * Sets every provider's API key to `value` for this test file (restored after), and one attempt per
 * model call: a request that does not match the recording fails the test at once, not after backoff.
 */
export function useProviderKeys(value: string): void {
  const saved = new Map<string, string | undefined>();
  beforeAll(() => {
    for (const key of [...keys, 'LLMPROC_RETRY_MAX_ATTEMPTS']) saved.set(key, process.env[key]);
    for (const key of keys) process.env[key] = value;
    process.env['LLMPROC_RETRY_MAX_ATTEMPTS'] = '1';
  });
  afterAll(() => {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });
}
