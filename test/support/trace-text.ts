/**
 * A trace written by hand: a standard header and one process line (pid 1), then the given lines, as
 * the text of a trace file. For tests of code that reads traces, where recording a run would hide
 * which lines the case is about.
 */
export function traceText(lines: object[], processFields: object = {}): string {
  const header = {
    type: 'header',
    format: 'llmproc-trace',
    version: 1,
    llmprocVersion: '0.0.0',
    startTime: '2026-01-01T00:00:00.000Z',
    programs: {},
  };
  const process = {
    type: 'process',
    pid: 1,
    displayName: 'P',
    model: 'm',
    provider: 'mock',
    systemPrompt: '',
    tools: [],
    ...processFields,
  };
  return `${[header, process, ...lines].map((line) => JSON.stringify(line)).join('\n')}\n`;
}
