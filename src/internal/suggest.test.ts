import { describe, expect, it } from 'vitest';
import { closestName, unknownKeyProblems } from './suggest.js';

const options = ['systemPrompt', 'maxIterations', 'description', 'model', 'mcpServers', 'mcpTools'];

describe('closestName', () => {
  it('finds the same name in another spelling', () => {
    expect(closestName('system_prompt', options)).toBe('systemPrompt');
    expect(closestName('MAX-ITERATIONS', options)).toBe('maxIterations');
  });

  it('finds a typo within one edit in four characters, a swap counting as one', () => {
    expect(closestName('sytemPrompt', options)).toBe('systemPrompt');
    expect(closestName('modle', options)).toBe('model');
    expect(closestName('maxIteratoins', options)).toBe('maxIterations');
  });

  it('finds the one name an abbreviation stands for, and no name for an ambiguous one', () => {
    expect(closestName('desc', options)).toBe('description');
    expect(closestName('mcp', options)).toBeUndefined();
  });

  it('finds nothing for a name far from every known one, or far too long to be typed', () => {
    expect(closestName('colour', options)).toBeUndefined();
    expect(closestName('x'.repeat(10_000), options)).toBeUndefined();
  });
});

describe('unknownKeyProblems', () => {
  const known = ['name', 'parameters', 'execute'];
  const elsewhere = new Map([['input_schema', 'parameters']]);

  it('names each unknown key with the key meant: a typo, or another API name for it', () => {
    expect(
      unknownKeyProblems(
        { name: 'x', nmae: 1, inputSchema: {}, execute: 1 },
        known,
        'a thing',
        elsewhere,
      ),
    ).toEqual([
      '"nmae" is not a key of a thing (did you mean "name"?)',
      '"inputSchema" is not a key of a thing (did you mean "parameters"?)',
    ]);
  });

  it('lists the known keys when none is close, and nothing when every key is known', () => {
    expect(unknownKeyProblems({ colour: 1 }, known, 'a thing')).toEqual([
      '"colour" is not a key of a thing (expected one of: name, parameters, execute)',
    ]);
    expect(unknownKeyProblems({ name: 1 }, known, 'a thing')).toEqual([]);
  });

  it('stays readable for a thousand unknown keys and a key of a megabyte', () => {
    const many = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${String(i)}`, i]));
    const problems = unknownKeyProblems(many, known, 'a thing');
    expect(problems).toHaveLength(21);
    expect(problems.at(-1)).toBe('... and 980 more unknown keys');
    const [long = ''] = unknownKeyProblems({ ['x'.repeat(1_000_000)]: 1 }, known, 'a thing');
    expect(long.length).toBeLessThan(400);
    expect(long).toMatch(
      /^"x+…" is not a key of a thing \(expected one of: name, parameters, execute\)$/,
    );
  });
});
