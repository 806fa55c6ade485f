import { describe, expect, it } from 'vitest';
import {
  FileDescriptorError,
  FileDescriptorManager,
  type FileDescriptorSettings,
} from './manager.js';

const settings: FileDescriptorSettings = {
  maxDirectOutputChars: 20,
  defaultPageSize: 10,
  maxInputChars: 40,
  pageUserInput: true,
  enableReferences: true,
};

describe('FileDescriptorManager', () => {
  it('numbers descriptors fd:1, fd:2, ... and returns an fd_result with the first page', () => {
    const manager = new FileDescriptorManager(settings);
    const first = manager.create('0123456789abcdefghij\nsecond line');
    expect(first.id).toBe('fd:1');
    expect(first.xml).toBe(
      [
        '<fd_result fd="fd:1" pages="4" truncated="true" lines="1-1" total_lines="2" source="tool_result">',
        '  <message>Output exceeds 20 characters. Use read_fd to read more pages.</message>',
        '  <preview>',
        '  0123456789',
        '  </preview>',
        '</fd_result>',
      ].join('\n'),
    );
    expect(manager.create('more', 'user_input').id).toBe('fd:2');
    expect(manager.get('fd:2')).toMatchObject({
      content: 'more',
      source: 'user_input',
      totalPages: 1,
      totalLines: 1,
    });
  });

  it('lists available descriptors in the original order when one is missing', () => {
    const manager = new FileDescriptorManager(settings);
    for (let i = 0; i < 10; i++) manager.create(`content ${String(i)}`);
    manager.storeReference('a', 'ref text');
    expect(() => manager.require('fd:99')).toThrow(
      new FileDescriptorError(
        'not_found',
        'File descriptor fd:99 not found. Available FDs: fd:1, fd:10, fd:2, fd:3, fd:4, fd:5, fd:6, fd:7, fd:8, fd:9, ref:a',
      ),
    );
    expect(() => new FileDescriptorManager(settings).require('fd:1')).toThrow(
      'File descriptor fd:1 not found. Available FDs: none',
    );
  });

  it('does not find inherited object properties as descriptors', () => {
    const manager = new FileDescriptorManager(settings);
    expect(manager.get('constructor')).toBeUndefined();
    expect(() => manager.require('__proto__')).toThrow(
      'File descriptor __proto__ not found. Available FDs: none',
    );
  });

  it('clones into an independent manager that continues the numbering', () => {
    const parent = new FileDescriptorManager(settings);
    parent.create('shared');
    const child = parent.clone();
    expect(child.create('child only').id).toBe('fd:2');
    expect(parent.create('parent only').id).toBe('fd:2');
    expect(child.get('fd:2')?.content).toBe('child only');
    expect(parent.get('fd:2')?.content).toBe('parent only');
    expect(child.get('fd:1')?.content).toBe('shared');
  });

  it('copies only references into another manager, as spawn does', () => {
    const parent = new FileDescriptorManager(settings);
    parent.create('tool output');
    parent.storeReference('plan', 'step 1');
    const child = new FileDescriptorManager(settings);
    expect(child.copyReferencesFrom(parent)).toEqual(['ref:plan']);
    expect(child.ids()).toEqual(['ref:plan']);
    expect(child.get('ref:plan')?.content).toBe('step 1');
    expect(child.create('own').id).toBe('fd:1');
  });

  it('round-trips through plain JSON', () => {
    const manager = new FileDescriptorManager(settings);
    manager.create('abc\ndef');
    manager.storeReference('x', 'ref');
    const data = JSON.parse(JSON.stringify(manager)) as ReturnType<FileDescriptorManager['toJSON']>;
    const restored = FileDescriptorManager.fromJSON(data);
    expect(restored.ids()).toEqual(['fd:1', 'ref:x']);
    expect(restored.get('fd:1')).toEqual(manager.get('fd:1'));
    expect(restored.create('next').id).toBe('fd:2');
    expect(restored.settings).toEqual(settings);
  });

  it('keeps a page size of at least one character', () => {
    const manager = new FileDescriptorManager({ ...settings, defaultPageSize: 0 });
    expect(manager.settings.defaultPageSize).toBe(1);
    expect(manager.get(manager.create('abc').id)?.totalPages).toBe(3);
  });
});
