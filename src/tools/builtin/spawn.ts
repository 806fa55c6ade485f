import { z } from '../../internal/zod.js';
import { errorMessage } from '../../errors.js';
import { defineTool } from '../define-tool.js';
import { ToolResult } from '../tool-result.js';
import type { Tool } from '../types.js';

export interface LinkedProgramInfo {
  name: string;
  description: string;
}

function programList(programs: readonly LinkedProgramInfo[]): string {
  return programs
    .map((p) => (p.description === '' ? `- '${p.name}'` : `- '${p.name}': ${p.description}`))
    .join('\n');
}

const baseDescription =
  'Start a new process from a linked program (or from this program when no name is given), give it a prompt, and return its final answer. The new process starts with an empty conversation.';

/**
 * `spawn`: runs a prompt in a fresh process of a linked program. The tool's description lists the
 * linked programs, so it is built per program at start().
 */
export function createSpawnTool(linked: readonly LinkedProgramInfo[]): Tool {
  const description =
    linked.length === 0
      ? baseDescription
      : `${baseDescription}\n\n## Available Programs:\n${programList(linked)}`;
  return defineTool({
    name: 'spawn',
    description,
    parameters: z.object({
      prompt: z.string().describe('The prompt for the new process'),
      program_name: z
        .string()
        .default('')
        .describe('Name of the linked program to start; empty for this program'),
      additional_preload_files: z
        .array(z.string())
        .optional()
        .describe("Extra files to put in the new process's system prompt"),
    }),
    access: 'admin',
    runsChildren: true,
    execute: async (
      { prompt, program_name: programName, additional_preload_files: extraFiles },
      context,
    ) => {
      const parent = context.process;
      if (programName !== '' && linked.length > 0 && !linked.some((p) => p.name === programName)) {
        return ToolResult.fromError(
          `Program '${programName}' not found. Available programs: \n${programList(linked)}`,
        );
      }
      try {
        const child = await parent.spawnChild(programName, extraFiles ?? []);
        try {
          await child.run(prompt, context.signal ? { signal: context.signal } : {});
          return ToolResult.fromSuccess(child.getLastMessage());
        } finally {
          await child.close();
        }
      } catch (error) {
        return ToolResult.fromError(
          `Error creating process from program '${programName || 'self'}': ${errorMessage(error)}`,
        );
      }
    },
  });
}
