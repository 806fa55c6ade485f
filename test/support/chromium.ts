/**
 * Debian's Chromium driven by playwright-core (no browser download), for the tests that open a page
 * in a real browser. Where /usr/bin/chromium is missing the tests skip, except in CI (env CI), where
 * the browser is installed by .ci/run and a missing one must fail.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const chromiumPath = '/usr/bin/chromium';

/** Whether the browser tests run here: Chromium is installed, or this is CI (where it must be). */
export const hasChromium = existsSync(chromiumPath) || process.env['CI'] !== undefined;

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Launch headless Chromium with a fresh profile and no background traffic of its own. */
export async function launchChromium(): Promise<Browser> {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'llmproc-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 860 },
  });
  // Fail a step that finds nothing well within the test's own time limit, saying what it waited for.
  context.setDefaultTimeout(10_000);
  return {
    context,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
