// `llmproc/callbacks`: the seed imports CallbackEvent from `llmproc.callbacks`.
export { CallbackEvent } from './callbacks/events.js';
export type {
  Callback,
  CallbackFunction,
  CallbackParams,
  Callbacks,
  EventArgs,
  EventContext,
  LooseCallbackFunction,
} from './callbacks/events.js';
