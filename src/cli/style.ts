/**
 * Colour for the CLI's stderr lines. Colour is on only when stderr is a terminal, and `NO_COLOR`
 * (https://no-color.org: set and non-empty) always turns it off; `FORCE_COLOR` turns it on for a pipe
 * (`FORCE_COLOR=0` turns it off), as in Node's own `tty.hasColors`.
 */

/** Whether to colour output written to a stream with this `isTTY`, given the environment. */
export function shouldUseColor(
  isTTY: boolean | undefined,
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  const force = env['FORCE_COLOR'];
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (env['TERM'] === 'dumb') return false;
  return isTTY === true;
}

const codes = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  magenta: [35, 39],
  cyan: [36, 39],
} as const satisfies Record<string, readonly [number, number]>;

export type StyleName = keyof typeof codes;

/** `style(name, text)` wraps text in the ANSI codes of `name`, or returns it as is without colour. */
export type Styler = (name: StyleName, text: string) => string;

export function createStyler(color: boolean): Styler {
  if (!color) return (_name, text) => text;
  return (name, text) => {
    const [open, close] = codes[name];
    return `\u001b[${String(open)}m${text}\u001b[${String(close)}m`;
  };
}
