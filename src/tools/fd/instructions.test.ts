import { describe, expect, it } from 'vitest';
import { fileDescriptorInstructions } from './instructions.js';

const config = {
  enabled: true,
  maxDirectOutputChars: 8000,
  defaultPageSize: 4000,
  maxInputChars: 8000,
  pageUserInput: false,
  enableReferences: false,
};

function tags(blocks: string[]): string[] {
  return blocks.map((block) => /^<([a-z_]+)>/.exec(block)?.[1] ?? block);
}

describe('fileDescriptorInstructions', () => {
  it('adds no blocks when the fd system is off', () => {
    expect(fileDescriptorInstructions(undefined)).toEqual([]);
    expect(fileDescriptorInstructions({ ...config, enabled: false, pageUserInput: true })).toEqual(
      [],
    );
  });

  it('adds the general block, then the user-input and reference blocks when those are on', () => {
    expect(tags(fileDescriptorInstructions(config))).toEqual(['file_descriptor_instructions']);
    expect(
      tags(fileDescriptorInstructions({ ...config, pageUserInput: true, enableReferences: true })),
    ).toEqual([
      'file_descriptor_instructions',
      'fd_user_input_instructions',
      'reference_instructions',
    ]);
  });

  it('closes each block with its own tag and describes both fd tools', () => {
    const blocks = fileDescriptorInstructions({
      ...config,
      pageUserInput: true,
      enableReferences: true,
    });
    for (const block of blocks) {
      const tag = /^<([a-z_]+)>/.exec(block)?.[1] ?? '';
      expect(block.endsWith(`</${tag}>`)).toBe(true);
    }
    expect(blocks[0]).toContain('read_fd(fd="fd:1", mode="line", start=10, count=5)');
    expect(blocks[0]).toContain('fd_to_file(fd="fd:1", file_path="out.txt")');
  });
});
