/**
 * The trace view in a real browser: Debian's Chromium opens the HTML file from disk, as a user does.
 * The page must draw without console errors or network requests, show the fork children in the
 * process tree, and show a tool call's arguments when it is expanded. A screenshot is saved (its path
 * is printed) so a person can look at it.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordTo, renderTraceHtml } from '../src/index.js';
import { parseTrace, readTrace } from '../src/traces/read.js';
import { bigTraceText } from './support/big-trace.js';
import { hasChromium, launchChromium, type Browser } from './support/chromium.js';
import { forkingProgram } from './support/trace-programs.js';

let dir = '';
let browser: Browser | undefined;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'llmproc-trace-view-'));
  if (hasChromium) browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await rm(dir, { recursive: true, force: true });
});

/** What the page did besides drawing: console errors, uncaught errors, requests. */
interface Watched {
  page: Page;
  problems: string[];
  requests: string[];
}

async function open(html: string, name: string): Promise<Watched> {
  if (!browser) throw new Error('no browser');
  const file = path.join(dir, `${name}.html`);
  await writeFile(file, html);
  const page = await browser.context.newPage();
  const watched: Watched = { page, problems: [], requests: [] };
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning')
      watched.problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => watched.problems.push(`page error: ${error.message}`));
  page.on('request', (request) => {
    if (request.url() !== pathToFileURL(file).href) watched.requests.push(request.url());
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return watched;
}

describe.runIf(hasChromium)('the trace view in Chromium', () => {
  it('draws a recorded run with its fork children, and shows a tool call’s arguments when expanded', async () => {
    const traceFile = path.join(dir, 'fork.jsonl');
    const recorder = recordTo(traceFile);
    const proc = await forkingProgram().start();
    proc.addCallback(recorder);
    await proc.run('do both');
    await recorder.close();
    const { page, problems, requests } = await open(renderTraceHtml(readTrace(traceFile)), 'fork');

    // The tree: the root with its two fork children nested under it.
    const tree = page.locator('nav > ul.tree > li');
    await expect.poll(() => tree.count()).toBe(1);
    expect(await tree.locator(':scope > button').textContent()).toBe('1 · Mock mock · 3 turns');
    expect(await tree.locator(':scope > ul.tree > li > button').allTextContents()).toEqual([
      '2 · Mock mock · 2 turns',
      '3 · Mock mock · 2 turns',
    ]);
    // The failed calculator call (1/) is highlighted: the root's tree entry and its turn.
    expect(await tree.getAttribute('class')).toBe('has-error');
    await expect.poll(() => page.locator('#detail .turn.has-error').count()).toBe(1);
    expect(await page.locator('#detail .turn .input').allTextContents()).toEqual(['Inputdo both']);

    // Expanding a tool call shows its arguments and result.
    const calculator = page.locator('#detail details.tool').first();
    expect(await calculator.locator('pre.args').count()).toBe(0);
    await calculator.locator('summary').click();
    expect(await calculator.locator('pre.args').textContent()).toBe('{\n  "expression": "1/"\n}');
    expect(await calculator.locator('pre.result').getAttribute('class')).toBe('result failed');

    // A child, chosen in the tree, shows its own turns.
    await tree.locator('ul.tree button', { hasText: '2 · Mock mock' }).click();
    expect(await page.locator('#detail h2').textContent()).toBe('Process 2 · Mock mock');
    await page.locator('#detail details.tool summary').first().click();
    expect(await page.locator('#detail pre.args').first().textContent()).toBe(
      '{\n  "expression": "6*7"\n}',
    );
    await page.locator('nav button', { hasText: '1 · Mock mock' }).click();
    await page.locator('#detail details.tool summary').first().click();

    const screenshot = path.join(os.tmpdir(), 'llmproc-trace-view.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    console.log(`trace view screenshot: ${screenshot}`);
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  }, 60_000);

  it('stays responsive on a trace of 10,000 events: turns are drawn a batch at a time', async () => {
    const trace = parseTrace(bigTraceText(10_000), 'big.jsonl');
    expect(trace.events.length).toBeGreaterThanOrEqual(9_990);
    const { page, problems, requests } = await open(renderTraceHtml(trace), 'big');
    const turns = page.locator('#detail .turn');
    // The first batch only, however many turns the process has.
    await expect.poll(() => turns.count()).toBe(40);
    expect(await page.locator('#detail h2').textContent()).toBe('Process 1 · Big parent');
    // Scrolling to the end of the list draws the next batch.
    await page.locator('#detail button.more').scrollIntoViewIfNeeded();
    await expect.poll(() => turns.count()).toBe(80);
    // The page still answers: the child opens, and a tool call expands.
    await page.locator('nav button', { hasText: '2 · Big child' }).click();
    expect(await page.locator('#detail h2').textContent()).toBe('Process 2 · Big child');
    await page.locator('nav button', { hasText: '1 · Big parent' }).click();
    await page.locator('#detail details.tool.failed summary').first().click();
    expect(await page.locator('#detail pre.result.failed').textContent()).toBe('Error: bad');
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  }, 60_000);
});
