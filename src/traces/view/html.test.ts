import { describe, expect, it } from 'vitest';
import { traceText } from '../../../test/support/trace-text.js';
import { parseTrace } from '../read.js';
import { renderTraceHtml } from './html.js';

function trace(toolArgs: object, file = 'run.jsonl') {
  const lines = [
    { type: 'event', seq: 1, time: 1, pid: 1, name: 'turn_start', args: [{ $process: 1 }] },
    { type: 'event', seq: 2, time: 2, pid: 1, name: 'tool_start', args: ['t', toolArgs] },
  ];
  return parseTrace(traceText(lines), file);
}

describe('renderTraceHtml', () => {
  it('writes one page that loads nothing: no URL, and a policy that forbids loading', () => {
    const html = renderTraceHtml(trace({ a: 1 }));
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`,
    );
    expect(html).not.toMatch(/https?:\/\/|url\(|@import/i);
    expect(html).not.toMatch(/<(link|img|iframe)\b|\ssrc=/i);
    // The page script is the drawing function itself, called with the embedded view model.
    expect(html).toContain('function drawTraceView(model)');
  });

  it("keeps a trace's text from closing the script element or adding markup", () => {
    const hostile = '</script><script>alert(1)</script><!--';
    const html = renderTraceHtml(trace({ text: hostile }, '<b>run</b>.jsonl'));
    expect(html.match(/<\/script>/g)?.length).toBe(2);
    expect(html).toContain('\\u003c/script>\\u003cscript>alert(1)\\u003c/script>\\u003c!--');
    expect(html).toContain('<title>llmproc trace · &lt;b&gt;run&lt;/b&gt;.jsonl</title>');
    // The embedded JSON reads back as the view model.
    const json = /<script type="application\/json" id="trace-view-data">(.*)<\/script>/.exec(html);
    const model = JSON.parse(json?.[1] ?? 'null') as {
      processes: { turns: { tools: { args: string }[] }[] }[];
    };
    expect(model.processes[0]?.turns[0]?.tools[0]?.args).toBe(
      JSON.stringify({ text: hostile }, null, 2),
    );
  });
});
