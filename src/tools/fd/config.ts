/** The `[file_descriptor]` settings of a program, as validated at load. */
export interface FileDescriptorConfig {
  enabled: boolean;
  maxDirectOutputChars: number;
  defaultPageSize: number;
  maxInputChars: number;
  pageUserInput: boolean;
  enableReferences: boolean;
}
