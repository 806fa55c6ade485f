/**
 * A tool as the model is told about it: name, description, JSON Schema of its arguments. The tool
 * registry produces these and every provider adapter sends them, so it sits below both.
 */
export interface ToolSpec {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}
