/**
 * zod, as the library imports it: one place, so a change of how llmproc uses zod is made once. zod's
 * global configuration is left alone (it belongs to the application, whose own schemas it would
 * change). Configs are validated with zod at load; model replies on the hot path are checked by hand
 * where the SDK already types them (providers/anthropic/response.ts).
 */
export { z } from 'zod';
