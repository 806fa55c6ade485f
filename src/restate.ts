// `llmproc/restate`: durable runs on Restate. A separate entry point on top of the public API, so a
// program that does not import it loads none of its code nor the Restate SDK (an optional peer).
export { restateService } from './restate/service.js';
export type { DurableRunRequest, RestateServiceOptions } from './restate/service.js';
export { restateSteps } from './restate/steps.js';
export type { StepRetryPolicy } from './restate/steps.js';
export { serveRestate, registerDeployment } from './restate/serve.js';
export type { RestateServiceDefinition, RestateWorker, ServeOptions } from './restate/serve.js';
