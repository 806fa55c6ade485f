/**
 * Turns zod's validation issues into our config error lines: `<file>: "<key.path>" <expectation>; got
 * <what was found>`. The expectation comes from the schema (or the error map below); "got" is looked
 * up in the raw input, so it shows what the user wrote, spelled as they wrote it.
 */
import { z } from '../internal/zod.js';
import { ConfigError } from '../errors.js';
import { jsonText } from '../internal/json-text.js';
import { cutText, listAtMost, maxListed } from '../internal/bounded-text.js';
import { closestName } from '../internal/suggest.js';

/** One problem in a config, before it is rendered into a message line. */
export interface ConfigIssue {
  path: readonly PropertyKey[];
  /** What was expected, phrased to follow the quoted key path ("must be a string"). */
  message: string;
  /** False when the message already says what was found (cross-field rules). */
  showGot: boolean;
  /**
   * For an unknown key: the keys its table knows. When one is close to the key (another spelling,
   * a typo), the message names it instead of listing them all.
   */
  knownKeys?: readonly string[];
}

/** The issues of one config, at most {@link keptIssues} of them, and how many there were. */
export interface ConfigIssues {
  issues: ConfigIssue[];
  total: number;
}

/** How many issues an error keeps in `details.issues`; `details.issueCount` counts them all. */
export const keptIssues = 1000;

/** Collects a config's issues: keeps the first {@link keptIssues}, counts the rest. */
export interface IssueCollector extends ConfigIssues {
  /** Count one issue; `make` builds it only when it is kept (a million cost no more than 1000). */
  add(make: () => ConfigIssue): void;
}

/** A new, empty {@link IssueCollector}. */
export function issueList(): IssueCollector {
  const list: IssueCollector = {
    issues: [],
    total: 0,
    add(make) {
      if (list.issues.length < keptIssues) list.issues.push(make());
      list.total += 1;
    },
  };
  return list;
}

// zod's finished issue forgets the schema that raised it; its `keys` list survives, so the error map
// files the table's known keys under it for the formatter's suggestion.
const knownKeysOfIssue = new WeakMap<readonly string[], readonly string[]>();

/** Remember the keys a table knows for an `unrecognized_keys` issue (see `issuesFromZod`). */
export function rememberKnownKeys(unknown: readonly string[], known: readonly string[]): void {
  knownKeysOfIssue.set(unknown, known);
}

/**
 * Put `params: omitGot` on a custom issue whose message already names the value found: the
 * formatter then does not append "; got ...".
 */
export const omitGot = { omitGot: true } as const;

/** `tools.builtin[0].name`; keys that are not bare TOML keys are quoted (`extra_headers."a.b"`). */
export function formatKeyPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') {
      out += `[${segment}]`;
      continue;
    }
    const key = cutText(String(segment), 60);
    const part = /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
    out += out === '' ? part : `.${part}`;
  }
  return out;
}

const maxShown = 60;

function shorten(text: string): string {
  return text.length > maxShown ? `${text.slice(0, maxShown - 3)}...` : text;
}

/** How a found value is shown after "got": strings quoted, tables and lists as short JSON. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return shorten(JSON.stringify(value));
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  if (value instanceof Date) return `a date ${value.toISOString()}`;
  if (Array.isArray(value)) return `a list ${shorten(jsonText(value))}`;
  if (typeof value === 'object') return `a table ${shorten(jsonText(value))}`;
  return typeof value;
}

/** The value at `path` inside `root`, or undefined when the path leads nowhere. */
export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = root;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(current, segment)) return undefined;
    current = Reflect.get(current, segment) as unknown;
  }
  return current;
}

const nouns: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  object: 'a table',
  record: 'a table',
  array: 'a list',
};

function listValues(values: readonly unknown[]): string {
  return values.map((v) => (typeof v === 'string' ? v : jsonText(v))).join(', ');
}

/**
 * The per-parse zod error map: phrases each issue as an expectation that reads after a quoted key
 * path. Schemas with their own `error` text take precedence over it.
 */
export const expectationMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type': {
      const noun = nouns[issue.expected] ?? issue.expected;
      return issue.input === undefined ? `is required (${noun})` : `must be ${noun}`;
    }
    case 'invalid_value':
      return issue.values.length === 1
        ? `must be ${jsonText(issue.values[0])}`
        : `must be one of ${listValues(issue.values)}`;
    case 'too_small':
      if (issue.origin === 'string') return 'must not be empty';
      if (issue.origin === 'array') return `must have at least ${String(issue.minimum)} entries`;
      return issue.inclusive === false
        ? `must be greater than ${String(issue.minimum)}`
        : `must be at least ${String(issue.minimum)}`;
    case 'too_big':
      return issue.inclusive === false
        ? `must be less than ${String(issue.maximum)}`
        : `must be at most ${String(issue.maximum)}`;
    case 'unrecognized_keys': {
      const known = issue.inst instanceof z.ZodObject ? Object.keys(issue.inst.shape) : [];
      rememberKnownKeys(issue.keys, known);
      return known.length > 0
        ? `is not a known key (expected one of: ${known.join(', ')})`
        : 'is not a known key';
    }
    default:
      return undefined;
  }
};

/** True when a union branch failed only because the value is of another kind (string vs table). */
function isKindMismatch(branch: readonly z.core.$ZodIssue[]): boolean {
  const first = branch[0];
  return (
    branch.length === 1 &&
    first !== undefined &&
    first.code === 'invalid_type' &&
    first.path.length === 0
  );
}

function collect(
  issues: readonly z.core.$ZodIssue[],
  prefix: readonly PropertyKey[],
  out: IssueCollector,
): void {
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      const knownKeys = knownKeysOfIssue.get(issue.keys);
      for (const key of issue.keys) {
        out.add(() => ({
          path: [...path, key],
          message: issue.message,
          showGot: true,
          ...(knownKeys === undefined ? {} : { knownKeys }),
        }));
      }
      continue;
    }
    if (issue.code === 'invalid_union') {
      // A value that is a table gets the table branch's errors, not "must be a string or a table":
      // prefer the one branch of the value's kind, else the one branch that got inside the value.
      const ofKind = issue.errors.filter((branch) => !isKindMismatch(branch));
      const inside = issue.errors.filter((branch) => branch.some((inner) => inner.path.length > 0));
      const only = ofKind.length === 1 ? ofKind[0] : inside.length === 1 ? inside[0] : undefined;
      if (only !== undefined) collect(only, path, out);
      else out.add(() => ({ path, message: issue.message, showGot: true }));
      continue;
    }
    const omit = issue.code === 'custom' && issue.params?.['omitGot'] === true;
    out.add(() => ({ path, message: issue.message, showGot: !omit }));
  }
}

/**
 * Flatten zod issues (splitting unknown-key lists, choosing the relevant union branch), keeping
 * the first {@link keptIssues}.
 */
export function issuesFromZod(error: z.ZodError): ConfigIssues {
  const out = issueList();
  collect(error.issues, [], out);
  return { issues: out.issues, total: out.total };
}

/** The list of a table's keys that ends an unknown-key message. */
const knownKeysList = / \(expected one of: .*\)$/s;

/**
 * What is wrong, after the quoted key path. An unknown key close to a known one names it ("did you
 * mean"), dropping the list of every known key.
 */
export function issueMessage(issue: ConfigIssue): string {
  const key = issue.path.at(-1);
  if (issue.knownKeys === undefined || typeof key !== 'string') return issue.message;
  const meant = closestName(key, issue.knownKeys);
  if (meant === undefined) return issue.message;
  const head = issue.message.replace(knownKeysList, '');
  return `${head} (did you mean "${meant}"?)`;
}

/** One message line: `<label>: "<key.path>" <expectation>; got <found>`. */
export function formatIssue(
  label: string,
  issue: ConfigIssue,
  input: unknown,
  message = issueMessage(issue),
): string {
  const key = issue.path.length === 0 ? '(top level)' : `"${formatKeyPath(issue.path)}"`;
  const got = issue.showGot ? `; got ${describeValue(valueAt(input, issue.path))}` : '';
  return `${label}: ${key} ${message}${got}`;
}

/** The message lines of `issues`; a list of known keys is spelled out once, not on every line. */
function formatIssues(label: string, issues: readonly ConfigIssue[], input: unknown): string[] {
  const listed = new Set<string>();
  return issues.map((issue) => {
    let message = issueMessage(issue);
    const list = knownKeysList.exec(message)?.[0];
    if (list !== undefined) {
      if (listed.has(list)) message = message.replace(list, ' (expected one of the keys above)');
      listed.add(list);
    }
    return formatIssue(label, issue, input, message);
  });
}

/**
 * A CONFIG_INVALID error listing the issues one per line (the first {@link maxListed}, then "and N
 * more problems"), with `keyPath` set to the first. `details.issues` holds the first
 * {@link keptIssues} as `{ keyPath, message }`, `details.issueCount` how many there are in all.
 */
export function invalidConfigError(
  label: string,
  found: ConfigIssues,
  input: unknown,
  file: string | undefined,
): ConfigError {
  const { issues, total } = found;
  const first = issues[0];
  const lines = formatIssues(label, issues.slice(0, maxListed), input);
  const message = listAtMost(lines, total, 'problems').join('\n');
  return new ConfigError('CONFIG_INVALID', message, {
    ...(file === undefined ? {} : { file }),
    ...(first === undefined ? {} : { keyPath: formatKeyPath(first.path) }),
    details: {
      issues: issues.map((i) => ({ keyPath: formatKeyPath(i.path), message: issueMessage(i) })),
      issueCount: total,
    },
  });
}

/** A CONFIG_INVALID error for one issue. */
export function oneIssueError(
  label: string,
  issue: ConfigIssue,
  input: unknown,
  file: string | undefined,
): ConfigError {
  return invalidConfigError(label, { issues: [issue], total: 1 }, input, file);
}
