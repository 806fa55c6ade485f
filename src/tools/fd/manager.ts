import type { FileDescriptorConfig } from './config.js';
import { formatFdResult, type FdErrorType } from './format.js';
import { countPages, indexLines, readPage } from './paginate.js';

/** The sizes and switches of `[file_descriptor]`, without `enabled` (a manager exists only when on). */
export type FileDescriptorSettings = Omit<FileDescriptorConfig, 'enabled'>;

/** Where a descriptor's content came from; shown in `<fd_result source="...">`. */
export type FileDescriptorSource = 'tool_result' | 'user_input' | 'reference';

/** One stored descriptor. Plain JSON, so a whole manager can be saved and restored. */
export interface FileDescriptorEntry {
  content: string;
  /** Offsets where lines start (see indexLines). */
  lines: number[];
  totalLines: number;
  pageSize: number;
  totalPages: number;
  /** Milliseconds since the epoch. */
  creationTime: number;
  source: FileDescriptorSource;
}

/** A manager as plain data: what `toJSON()` returns and `fromJSON()` takes. */
export interface FileDescriptorData {
  settings: FileDescriptorSettings;
  entries: Record<string, FileDescriptorEntry>;
  nextId: number;
}

/** An fd operation the model asked for and cannot have; the tools turn it into `<fd_error>`. */
export class FileDescriptorError extends Error {
  readonly type: FdErrorType;

  constructor(type: FdErrorType, message: string) {
    super(message);
    this.name = 'FileDescriptorError';
    this.type = type;
  }
}

/** Python's string order, which the original used to list available descriptors. */
function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A process's file descriptors: large tool outputs, large user inputs and `<ref>` spans, stored so
 * the model can read them page by page. Ids are "fd:1", "fd:2", ... in creation order, per process,
 * and "ref:<id>" for references. Forks get a `clone()`, so the two sides diverge from then on.
 */
export class FileDescriptorManager {
  readonly settings: Readonly<FileDescriptorSettings>;
  // A Map, not an object: ids come from the model, and "constructor" must not find Object's.
  private readonly entries: Map<string, FileDescriptorEntry>;
  private nextId: number;

  constructor(settings: FileDescriptorSettings | FileDescriptorConfig) {
    this.settings = {
      maxDirectOutputChars: settings.maxDirectOutputChars,
      // The original never validated these (its validator did not run); a page size below 1 made
      // its page walk loop forever, so it is clamped here.
      defaultPageSize: Math.max(1, Math.floor(settings.defaultPageSize)),
      maxInputChars: settings.maxInputChars,
      pageUserInput: settings.pageUserInput,
      enableReferences: settings.enableReferences,
    };
    this.entries = new Map();
    this.nextId = 1;
  }

  /** Rebuild a manager saved with `toJSON()`. */
  static fromJSON(data: FileDescriptorData): FileDescriptorManager {
    const manager = new FileDescriptorManager(data.settings);
    for (const [id, entry] of Object.entries(data.entries))
      manager.entries.set(id, structuredClone(entry));
    manager.nextId = data.nextId;
    return manager;
  }

  toJSON(): FileDescriptorData {
    return {
      settings: { ...this.settings },
      entries: Object.fromEntries(
        [...this.entries].map(([id, entry]) => [id, structuredClone(entry)]),
      ),
      nextId: this.nextId,
    };
  }

  /** An independent copy, for a forked process. */
  clone(): FileDescriptorManager {
    return FileDescriptorManager.fromJSON(this.toJSON());
  }

  /** Every descriptor id, sorted as the original listed them ("fd:1", "fd:10", "fd:2", "ref:a"). */
  ids(): string[] {
    return [...this.entries.keys()].sort(byCodePoint);
  }

  get(id: string): Readonly<FileDescriptorEntry> | undefined {
    return this.entries.get(id);
  }

  /** The descriptor, or a not_found error naming the ones that exist. */
  require(id: string): Readonly<FileDescriptorEntry> {
    const entry = this.entries.get(id);
    if (entry) return entry;
    const available = this.ids().join(', ');
    throw new FileDescriptorError(
      'not_found',
      `File descriptor ${id} not found. Available FDs: ${available === '' ? 'none' : available}`,
    );
  }

  /**
   * Store content under the next "fd:N" id. Returns the id and the `<fd_result>` text that stands
   * in for the content: where it went and its first page.
   */
  create(
    content: string,
    source: FileDescriptorSource = 'tool_result',
  ): { id: string; xml: string } {
    const id = `fd:${String(this.nextId)}`;
    this.nextId += 1;
    const entry = this.store(id, content, source);
    const preview = readPage(content, entry.lines, entry.pageSize, 1);
    const xml = formatFdResult({
      fd: id,
      pages: entry.totalPages,
      truncated: preview.truncated,
      endLine: preview.endLine,
      totalLines: entry.totalLines,
      source,
      maxDirectOutputChars: this.settings.maxDirectOutputChars,
      preview: preview.text,
    });
    return { id, xml };
  }

  /** Store a `<ref id="name">` span as "ref:name", replacing an earlier one of the same name. */
  storeReference(name: string, content: string): string {
    const id = `ref:${name}`;
    this.store(id, content, 'reference');
    return id;
  }

  /**
   * Copy another manager's "ref:*" descriptors into this one (spawn gives a child its parent's
   * references this way). Returns the ids copied.
   */
  copyReferencesFrom(source: FileDescriptorManager): string[] {
    const copied: string[] = [];
    for (const [id, entry] of source.entries) {
      if (!id.startsWith('ref:')) continue;
      this.entries.set(id, structuredClone(entry));
      copied.push(id);
    }
    return copied;
  }

  private store(id: string, content: string, source: FileDescriptorSource): FileDescriptorEntry {
    const lines = indexLines(content);
    const pageSize = this.settings.defaultPageSize;
    const entry: FileDescriptorEntry = {
      content,
      lines,
      totalLines: lines.length,
      pageSize,
      totalPages: countPages(content, pageSize),
      creationTime: Date.now(),
      source,
    };
    this.entries.set(id, entry);
    return entry;
  }
}
