import { describe, expect, it } from 'vitest';
import { closestName } from './suggest.js';

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
