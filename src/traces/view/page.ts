/**
 * The trace view's page script. It runs in the browser, not in Node: `renderTraceHtml` embeds its
 * source (`drawTraceView.toString()`) in the HTML file, so it must stay one self-contained function
 * that uses nothing from outside but its argument and the DOM. The DOM types it needs are declared
 * here (the library is compiled without the DOM lib). Text goes in with `textContent` only, never as
 * HTML, so nothing in a trace can run in the page. Large traces stay responsive because a tool
 * call's arguments and result are put in the page only when it is expanded, and the CSS lets the
 * browser skip laying out turns off screen (`content-visibility`).
 */
import type { ViewModel } from './model.js';

interface PageElement {
  className: string;
  textContent: string | null;
  title: string;
  open: boolean;
  readonly style: { setProperty(name: string, value: string): void };
  readonly dataset: Record<string, string | undefined>;
  append(...nodes: (PageElement | string)[]): void;
  setAttribute(name: string, value: string): void;
  addEventListener(type: string, listener: () => void): void;
  scrollIntoView(options: { behavior: string; block: string }): void;
  querySelector(selector: string): PageElement | null;
  readonly classList: { add(name: string): void; remove(name: string): void };
}

interface PageDocument {
  createElement(tag: string): PageElement;
  getElementById(id: string): PageElement | null;
  querySelectorAll(selector: string): Iterable<PageElement>;
  readonly body: PageElement;
}

/** Draws the view of `model` into the page's `#app` element. */
export function drawTraceView(model: ViewModel): void {
  const doc = (globalThis as unknown as { document: PageDocument }).document;

  function el(tag: string, className: string, ...children: (PageElement | string)[]): PageElement {
    const node = doc.createElement(tag);
    if (className) node.className = className;
    node.append(...children);
    return node;
  }
  function ms(value: number | null): string {
    if (value === null) return '–';
    return value < 1000 ? `${String(Math.round(value))} ms` : `${(value / 1000).toFixed(2)} s`;
  }
  function tokens(usage: ViewModel['totals']['usage'] | null): string {
    if (!usage) return 'usage unknown';
    const cached = usage.cacheReadTokens > 0 ? `, ${String(usage.cacheReadTokens)} cached` : '';
    return `${String(usage.inputTokens)} in / ${String(usage.outputTokens)} out${cached}`;
  }
  function cost(value: number | null): string {
    return value === null ? 'cost unknown' : `$${value.toFixed(value < 0.01 ? 5 : 3)}`;
  }
  const span = Math.max(model.durationMs, 1);
  function place(node: PageElement, startMs: number, durationMs: number): PageElement {
    node.style.setProperty('left', `${String((startMs / span) * 100)}%`);
    node.style.setProperty('width', `max(2px, ${String((durationMs / span) * 100)}%)`);
    return node;
  }

  function showProcess(pid: number): void {
    const section = doc.getElementById(`process-${String(pid)}`);
    if (!section) return;
    for (const node of doc.querySelectorAll('.selected')) node.classList.remove('selected');
    section.classList.add('selected');
    doc.getElementById(`tree-${String(pid)}`)?.classList.add('selected');
    section.scrollIntoView({ behavior: 'smooth', block: 'start' });
  }

  function processLink(pid: number, label: string): PageElement {
    const link = el('button', 'link', label);
    link.addEventListener('click', () => {
      showProcess(pid);
    });
    return link;
  }

  function toolCall(
    tool: ViewModel['processes'][number]['turns'][number]['tools'][number],
  ): PageElement {
    const status = tool.isError ? 'error' : 'ok';
    const summary = el(
      'summary',
      '',
      el('span', 'tool-name', tool.name),
      ` · ${ms(tool.durationMs)} · ${status}`,
    );
    const details = el('details', `tool ${tool.isError ? 'failed' : ''}`, summary);
    for (const pid of tool.childPids)
      summary.append(' · ', processLink(pid, `process ${String(pid)}`));
    let filled = false;
    details.addEventListener('toggle', () => {
      if (filled || !details.open) return;
      filled = true;
      details.append(
        el('div', 'label', 'Arguments'),
        el('pre', 'args', tool.args),
        el('div', 'label', 'Result'),
        el(
          'pre',
          `result ${tool.isError ? 'failed' : ''}`,
          tool.result === '' ? '(empty)' : tool.result,
        ),
      );
    });
    return details;
  }

  function turnCard(turn: ViewModel['processes'][number]['turns'][number]): PageElement {
    const facts = [
      `model ${ms(turn.modelMs)}`,
      tokens(turn.usage),
      cost(turn.costUsd),
      ...(turn.stopReason ? [turn.stopReason] : []),
    ].join(' · ');
    const card = el(
      'div',
      'turn',
      el('div', 'turn-head', el('strong', '', `Turn ${String(turn.turn)}`), ` · ${facts}`),
    );
    for (const text of turn.texts) card.append(el('p', 'text', text));
    for (const tool of turn.tools) card.append(toolCall(tool));
    if (turn.tools.some((tool) => tool.isError)) card.classList.add('has-error');
    return card;
  }

  function timeline(proc: ViewModel['processes'][number]): PageElement {
    const track = el('div', 'timeline');
    track.append(place(el('div', 'bar process-bar'), proc.startMs, proc.endMs - proc.startMs));
    for (const turn of proc.turns) {
      if (turn.modelStartMs !== null && turn.modelMs !== null) {
        const bar = place(el('div', 'bar model-bar'), turn.modelStartMs, turn.modelMs);
        bar.title = `Turn ${String(turn.turn)}: model call ${ms(turn.modelMs)}`;
        track.append(bar);
      }
      for (const tool of turn.tools) {
        const bar = place(
          el('div', `bar tool-bar ${tool.isError ? 'failed' : ''}`),
          tool.startMs,
          tool.durationMs ?? 0,
        );
        bar.title = `${tool.name}: ${ms(tool.durationMs)}`;
        track.append(bar);
      }
    }
    return track;
  }

  function section(proc: ViewModel['processes'][number]): PageElement {
    const heading = el('h2', '', `Process ${String(proc.pid)} · ${proc.name}`);
    const parent = proc.parentPid === null ? '' : ` · child of ${String(proc.parentPid)}`;
    const box = el(
      'section',
      'process',
      heading,
      el(
        'div',
        'meta',
        `${proc.provider} / ${proc.model}${parent} · ${String(proc.turns.length)} turns · ${ms(proc.endMs - proc.startMs)}`,
      ),
      timeline(proc),
    );
    box.setAttribute('id', `process-${String(proc.pid)}`);
    for (const error of proc.errors) box.append(el('div', 'run-error', error));
    for (const turn of proc.turns) box.append(turnCard(turn));
    return box;
  }

  function treeItem(proc: ViewModel['processes'][number]): PageElement {
    const failed =
      proc.errors.length > 0 || proc.turns.some((turn) => turn.tools.some((tool) => tool.isError));
    const link = processLink(
      proc.pid,
      `${String(proc.pid)} · ${proc.name} · ${String(proc.turns.length)} turns`,
    );
    link.setAttribute('id', `tree-${String(proc.pid)}`);
    const item = el('li', failed ? 'has-error' : '', link);
    const children = model.processes.filter((child) => child.parentPid === proc.pid);
    if (children.length > 0) item.append(el('ul', 'tree', ...children.map(treeItem)));
    return item;
  }

  const { totals } = model;
  const summary = el(
    'header',
    '',
    el('h1', '', `llmproc trace · ${model.file}`),
    el(
      'div',
      'totals',
      `${model.startTime} · ${ms(model.durationMs)} · ${String(model.processes.length)} processes · ${String(totals.turns)} turns · ${String(totals.toolCalls)} tool calls · ${tokens(totals.usage)} · ${cost(totals.costUsd)}`,
      el(
        'span',
        totals.errors > 0 ? 'error-count' : 'ok-count',
        ` · ${String(totals.errors)} errors`,
      ),
    ),
  );
  const roots = model.processes.filter(
    (proc) =>
      proc.parentPid === null || !model.processes.some((other) => other.pid === proc.parentPid),
  );
  const nav = el('nav', '', el('h2', '', 'Processes'), el('ul', 'tree', ...roots.map(treeItem)));
  const main = el('main', '');
  for (const proc of model.processes) main.append(section(proc));
  const app = doc.getElementById('app') ?? doc.body;
  app.append(summary, el('div', 'layout', nav, main));
}
