/** Every builtin tool of the original, by the name configs use. */
export const builtinToolNames = [
  'calculator',
  'read_file',
  'list_dir',
  'write_stderr',
  'fork',
  'spawn',
  'goto',
  'read_fd',
  'fd_to_file',
] as const;
export type BuiltinToolName = (typeof builtinToolNames)[number];

export function isBuiltinToolName(name: string): name is BuiltinToolName {
  return (builtinToolNames as readonly string[]).includes(name);
}
