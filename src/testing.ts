// `llmproc/testing`: test doubles for users' tests of their programs and callbacks. A separate entry
// point, so the main entry loads none of it (test/testing-lazy.test.ts checks the built package).
export { scriptedModel } from './testing/scripted-model.js';
export type {
  ScriptedModel,
  ScriptedModelOptions,
  ScriptedProgramOptions,
  ScriptedRequest,
  ScriptedTurn,
} from './testing/scripted-model.js';
export { recordEvents } from './testing/record-events.js';
export type { EventRecorder, RecordedEvent } from './testing/record-events.js';
