/**
 * The trace view's page script. It runs in the browser, not in Node: `renderTraceHtml` embeds its
 * source (`drawTraceView.toString()`) in the HTML file, so it must stay one self-contained function
 * that uses nothing from outside but its argument and the DOM. The DOM types it needs are declared
 * here (the library is compiled without the DOM lib). Text goes in with `textContent` only, never as
 * HTML, so nothing in a trace can run in the page.
 *
 * A trace of 10,000 events stays responsive because the page draws little at a time: one process's
 * turns, a batch at a time as they scroll into view, and a tool call's arguments and result only
 * when it is expanded.
 */
import type { ViewModel, ViewProcess, ViewTool, ViewTurn, ViewUsage } from './model.js';

interface PageElement {
  className: string;
  textContent: string | null;
  title: string;
  open: boolean;
  readonly style: { setProperty(name: string, value: string): void };
  append(...nodes: (PageElement | string)[]): void;
  replaceChildren(...nodes: (PageElement | string)[]): void;
  remove(): void;
  setAttribute(name: string, value: string): void;
  addEventListener(type: string, listener: () => void): void;
  scrollIntoView(options: { block: string }): void;
  readonly classList: { add(name: string): void; remove(name: string): void };
}

interface PageDocument {
  createElement(tag: string): PageElement;
  getElementById(id: string): PageElement | null;
  querySelectorAll(selector: string): Iterable<PageElement>;
  readonly body: PageElement;
}

interface PageObserver {
  observe(target: PageElement): void;
  disconnect(): void;
}

type ObserverConstructor = new (
  callback: (entries: { isIntersecting: boolean }[]) => void,
  options: { rootMargin: string },
) => PageObserver;

/** Draws the view of `model` into the page's `#app` element. */
export function drawTraceView(model: ViewModel): void {
  const page = globalThis as unknown as {
    document: PageDocument;
    IntersectionObserver?: ObserverConstructor;
  };
  const doc = page.document;
  /** Turns drawn at a time; the next batch is drawn when the end of the list comes into view. */
  const batch = 40;

  function el(tag: string, className: string, ...children: (PageElement | string)[]): PageElement {
    const node = doc.createElement(tag);
    if (className) node.className = className;
    node.append(...children);
    return node;
  }
  function ms(value: number | null): string {
    if (value === null) return '–';
    return value < 1000
      ? `${value.toFixed(value < 10 ? 1 : 0)} ms`
      : `${(value / 1000).toFixed(2)} s`;
  }
  function tokens(usage: ViewUsage | null): string {
    if (!usage) return 'usage unknown';
    const cached = usage.cacheReadTokens > 0 ? `, ${String(usage.cacheReadTokens)} cached` : '';
    return `${String(usage.inputTokens)} in / ${String(usage.outputTokens)} out${cached}`;
  }
  function cost(value: number | null): string {
    if (value === null) return 'cost unknown';
    return `$${value < 1 ? value.toFixed(4) : value.toFixed(2)}`;
  }
  /** Position a bar on a track that spans `from` to `to` ms. */
  function bar(className: string, start: number, length: number, from: number, to: number) {
    const span = Math.max(to - from, 1);
    // Spans: lanes are buttons, which may hold only phrasing content.
    const node = el('span', `bar ${className}`);
    node.style.setProperty('left', `${String(((start - from) / span) * 100)}%`);
    node.style.setProperty('width', `max(2px, ${String((length / span) * 100)}%)`);
    return node;
  }
  function hasError(proc: ViewProcess): boolean {
    return (
      proc.errors.length > 0 ||
      proc.turns.some((turn) => turn.error !== null || turn.tools.some((tool) => tool.isError))
    );
  }
  function label(proc: ViewProcess): string {
    return `${String(proc.pid)} · ${proc.name}`;
  }

  let observer: PageObserver | undefined;

  function toolCall(tool: ViewTool): PageElement {
    const summary = el(
      'summary',
      '',
      el('span', 'tool-name', tool.name),
      ` · ${ms(tool.durationMs)} · `,
      el('span', tool.isError ? 'status failed' : 'status', tool.isError ? 'error' : 'ok'),
    );
    for (const pid of tool.childPids)
      summary.append(' · ', processLink(pid, `process ${String(pid)}`));
    const details = el('details', tool.isError ? 'tool failed' : 'tool', summary);
    let filled = false;
    details.addEventListener('toggle', () => {
      if (filled || !details.open) return;
      filled = true;
      details.append(
        el('div', 'label', 'Arguments'),
        el('pre', 'args', tool.args),
        el('div', 'label', 'Result'),
        el('pre', tool.isError ? 'result failed' : 'result', tool.result || '(empty)'),
      );
    });
    return details;
  }

  function turnCard(proc: ViewProcess, turn: ViewTurn): PageElement {
    const facts = [
      `model ${ms(turn.modelMs)}`,
      tokens(turn.usage),
      cost(turn.costUsd),
      ...(turn.stopReason ? [turn.stopReason] : []),
    ].join(' · ');
    const track = el('span', 'track small');
    if (turn.modelStartMs !== null)
      track.append(bar('model', turn.modelStartMs, turn.modelMs ?? 0, proc.startMs, proc.endMs));
    for (const tool of turn.tools)
      track.append(
        bar(
          tool.isError ? 'tool failed' : 'tool',
          tool.startMs,
          tool.durationMs ?? 0,
          proc.startMs,
          proc.endMs,
        ),
      );
    const card = el(
      'article',
      'turn',
      el('div', 'turn-head', el('strong', '', `Turn ${String(turn.turn)}`), ` · ${facts}`),
      track,
    );
    if (turn.input !== null)
      card.append(el('div', 'input', el('span', 'label', 'Input'), turn.input));
    if (turn.error !== null) card.append(el('div', 'error-line', turn.error));
    for (const text of turn.texts) card.append(el('p', 'text', text));
    for (const tool of turn.tools) card.append(toolCall(tool));
    if (turn.error !== null || turn.tools.some((tool) => tool.isError))
      card.classList.add('has-error');
    return card;
  }

  /** Draw `proc`'s turns from `start`, a batch, and a sentinel that draws the next batch. */
  function drawTurns(list: PageElement, proc: ViewProcess, start: number): void {
    const end = Math.min(start + batch, proc.turns.length);
    for (const turn of proc.turns.slice(start, end)) list.append(turnCard(proc, turn));
    if (end >= proc.turns.length) return;
    const more = el('button', 'more', `Show more turns (${String(proc.turns.length - end)} left)`);
    const next = (): void => {
      observer?.disconnect();
      more.remove();
      drawTurns(list, proc, end);
    };
    more.addEventListener('click', next);
    list.append(more);
    const Observer = page.IntersectionObserver;
    if (Observer) {
      observer = new Observer(
        (entries) => {
          if (entries.some((entry) => entry.isIntersecting)) next();
        },
        { rootMargin: '600px' },
      );
      observer.observe(more);
    }
  }

  function showProcess(pid: number, scroll = true): void {
    const proc = model.processes.find((candidate) => candidate.pid === pid);
    const detail = doc.getElementById('detail');
    if (!proc || !detail) return;
    observer?.disconnect();
    for (const node of doc.querySelectorAll('.selected')) node.classList.remove('selected');
    for (const id of [`tree-${String(pid)}`, `lane-${String(pid)}`])
      doc.getElementById(id)?.classList.add('selected');
    const parent = proc.parentPid === null ? '' : ` · child of ${String(proc.parentPid)}`;
    const list = el('div', 'turns');
    detail.replaceChildren(
      el('h2', '', `Process ${label(proc)}`),
      el(
        'div',
        'meta',
        `${proc.provider} / ${proc.model}${parent} · ${String(proc.turns.length)} turns · ${ms(proc.endMs - proc.startMs)}`,
      ),
      ...proc.errors.map((error) => el('div', 'error-line', error)),
      list,
    );
    drawTurns(list, proc, 0);
    if (scroll) detail.scrollIntoView({ block: 'start' });
  }

  function processLink(pid: number, text: string): PageElement {
    const link = el('button', 'link', text);
    link.addEventListener('click', () => {
      showProcess(pid);
    });
    return link;
  }

  function treeItem(proc: ViewProcess): PageElement {
    const link = processLink(proc.pid, `${label(proc)} · ${String(proc.turns.length)} turns`);
    link.setAttribute('id', `tree-${String(proc.pid)}`);
    const item = el('li', hasError(proc) ? 'has-error' : '', link);
    const children = model.processes.filter((child) => child.parentPid === proc.pid);
    if (children.length > 0) item.append(el('ul', 'tree', ...children.map(treeItem)));
    return item;
  }

  function lane(proc: ViewProcess): PageElement {
    const track = el(
      'span',
      'track',
      bar('span', proc.startMs, proc.endMs - proc.startMs, 0, span),
    );
    for (const turn of proc.turns) {
      if (turn.modelStartMs !== null) {
        const call = bar('model', turn.modelStartMs, turn.modelMs ?? 0, 0, span);
        call.title = `Turn ${String(turn.turn)}: model call ${ms(turn.modelMs)}`;
        track.append(call);
      }
      for (const tool of turn.tools) {
        const node = bar(
          tool.isError ? 'tool failed' : 'tool',
          tool.startMs,
          tool.durationMs ?? 0,
          0,
          span,
        );
        node.title = `${tool.name}: ${ms(tool.durationMs)}`;
        track.append(node);
      }
    }
    const row = el(
      'button',
      hasError(proc) ? 'lane has-error' : 'lane',
      el('span', 'lane-label', label(proc)),
      track,
    );
    row.setAttribute('id', `lane-${String(proc.pid)}`);
    row.addEventListener('click', () => {
      showProcess(proc.pid);
    });
    return row;
  }

  const span = Math.max(model.durationMs, 1);
  const { totals } = model;
  const header = el(
    'header',
    '',
    el('h1', '', `llmproc trace · ${model.file}`),
    el(
      'div',
      'totals',
      `${model.startTime} · ${ms(model.durationMs)} · ${String(model.processes.length)} processes · ${String(totals.turns)} turns · ${String(totals.toolCalls)} tool calls · ${tokens(totals.usage)} · ${cost(totals.costUsd)} · `,
      el(
        'span',
        totals.errors > 0 ? 'error-count' : 'ok-count',
        `${String(totals.errors)} ${totals.errors === 1 ? 'error' : 'errors'}`,
      ),
    ),
  );
  const roots = model.processes.filter(
    (proc) =>
      proc.parentPid === null || !model.processes.some((other) => other.pid === proc.parentPid),
  );
  const nav = el('nav', '', el('h2', '', 'Processes'), el('ul', 'tree', ...roots.map(treeItem)));
  const timeline = el(
    'section',
    'timeline',
    el('h2', '', 'Timeline'),
    el(
      'div',
      'legend',
      el('span', 'key model', 'model call'),
      el('span', 'key tool', 'tool call'),
      el('span', 'key tool failed', 'failed'),
    ),
    ...model.processes.map(lane),
    el('div', 'axis', el('span', '', '0'), el('span', '', ms(model.durationMs))),
  );
  const detail = el('section', 'detail');
  detail.setAttribute('id', 'detail');
  const app = doc.getElementById('app') ?? doc.body;
  app.append(header, el('div', 'layout', nav, el('main', '', timeline, detail)));
  const first = model.processes[0];
  if (first) showProcess(first.pid, false);
}
