import { LlmprocError } from '../errors.js';

/** How much a tool may do, ordered read < write < admin, as in the original. */
export const AccessLevel = { READ: 'read', WRITE: 'write', ADMIN: 'admin' } as const;
export type AccessLevel = (typeof AccessLevel)[keyof typeof AccessLevel];

const rank = { read: 0, write: 1, admin: 2 } satisfies Record<AccessLevel, number>;

/** Whether a process with ceiling `ceiling` may call a tool that requires `required`. */
export function allows(ceiling: AccessLevel, required: AccessLevel): boolean {
  return rank[ceiling] >= rank[required];
}

/** Parse a user-supplied level, case-insensitively. */
export function parseAccessLevel(value: unknown): AccessLevel {
  if (typeof value === 'string') {
    const lower = value.toLowerCase();
    if (lower === 'read' || lower === 'write' || lower === 'admin') return lower;
  }
  throw new LlmprocError(
    'INVALID_OPTION',
    `Invalid access level: ${String(value)}. Expected 'read', 'write', or 'admin'`,
  );
}
