/**
 * "Did you mean ...?" for names a user typed: config keys, program options, tool definition keys.
 */

import { cutText, listAtMost, maxListed } from './bounded-text.js';

/** Names longer than this are not compared: no one misspells a 200-character key by hand. */
const maxComparedLength = 64;

/** Case, `_` and `-` dropped, so `system_prompt`, `systemPrompt` and `system-prompt` are one name. */
function spellingFree(name: string): string {
  return name.toLowerCase().replace(/[_-]/g, '');
}

/** Edit distance counting a swap of two neighbours as one edit; stops early past `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        value = Math.min(value, (before[j - 2] ?? 0) + 1);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > limit) return limit + 1;
    before = previous;
    previous = current;
  }
  return previous[b.length] ?? limit + 1;
}

/**
 * The known name `name` most likely meant: the same name spelled another way (`system_prompt` for
 * `systemPrompt`), else the one name it abbreviates, else the nearest one within a typo's reach (one edit in four characters, at most
 * three). Undefined when none is that close.
 */
export function closestName(name: string, known: readonly string[]): string | undefined {
  if (name.length > maxComparedLength) return undefined;
  const wanted = spellingFree(name);
  const sameName = known.find((candidate) => spellingFree(candidate) === wanted);
  if (sameName !== undefined) return sameName;
  // An abbreviation (`desc` for `description`), when it abbreviates one name only.
  const abbreviated = known.filter((candidate) => spellingFree(candidate).startsWith(wanted));
  if (wanted.length >= 3 && abbreviated.length === 1) return abbreviated[0];
  const limit = Math.min(3, Math.max(1, Math.floor(wanted.length / 4)));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of known) {
    const distance = editDistance(wanted, spellingFree(candidate), limit);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * One problem for each key of `value` that is not in `known`: `"key" is not a key of <what>`, then
 * `(did you mean "name"?)` with the known name it most likely meant (a typo or another spelling of
 * one, or a name other libraries use for one, from `otherNames`), else the list of known keys.
 * Empty when every key is known; past 20, one last entry says how many more there are.
 */
export function unknownKeyProblems(
  value: object,
  known: readonly string[],
  what: string,
  otherNames: ReadonlyMap<string, string> = new Map(),
): string[] {
  const unknown = Object.keys(value).filter((key) => !known.includes(key));
  const shown = unknown.slice(0, maxListed).map((key) => {
    const otherName = closestName(key, [...otherNames.keys()]);
    const meant =
      closestName(key, known) ?? (otherName === undefined ? undefined : otherNames.get(otherName));
    const hint =
      meant === undefined ? `expected one of: ${known.join(', ')}` : `did you mean "${meant}"?`;
    return `"${cutText(key)}" is not a key of ${what} (${hint})`;
  });
  return listAtMost(shown, unknown.length, 'unknown keys');
}
