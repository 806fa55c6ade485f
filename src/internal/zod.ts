/**
 * zod, configured once for the whole library. `jitless` stops zod from compiling object parsers with
 * `new Function` on first use: that compile step costs more than a config's whole validation for a
 * short CLI run, and code generation at run time has no place in a library that promises never to
 * eval. Import `z` from here, not from 'zod', so the setting is in force before any schema parses.
 */
import { z } from 'zod';

z.config({ jitless: true });

export { z };
