/**
 * The part that Claude's cloud platforms (Bedrock, Vertex) share: their SDK is an optional package,
 * imported only when a program uses the platform, whose one class builds a client with the Anthropic
 * SDK's `messages` interface. Each platform folder says only what differs: the package, the class,
 * the client options and how the platform is set up.
 */
import { LlmprocError, errorMessage } from '../../errors.js';
import { isAnthropicClient, isObjectOrFunction, type AnthropicClient } from './client.js';

export interface PlatformSdk {
  provider: 'anthropic_bedrock' | 'anthropic_vertex';
  /** The npm package, e.g. `@anthropic-ai/bedrock-sdk`. */
  packageName: string;
  /** The client class it exports, e.g. `AnthropicBedrock`. */
  className: string;
  /** How the package is imported (tests pass their own). */
  importModule?: ((specifier: string) => Promise<unknown>) | undefined;
  /** A sentence added to every error: how the platform is set up. */
  setupHint?: string;
  /** Added to the details of the error for a package that cannot be imported. */
  details?: Record<string, unknown>;
}

/** Imports the platform's SDK and builds its client; `PROVIDER_UNAVAILABLE` naming the package if it cannot. */
export async function platformClient(
  sdk: PlatformSdk,
  options: Record<string, unknown>,
): Promise<AnthropicClient> {
  const { provider, packageName, className } = sdk;
  const hint = sdk.setupHint === undefined ? '' : `. ${sdk.setupHint}`;
  const importModule = sdk.importModule ?? ((specifier: string) => import(specifier));
  let loaded: unknown;
  try {
    loaded = await importModule(packageName);
  } catch (cause) {
    throw new LlmprocError(
      'PROVIDER_UNAVAILABLE',
      `provider "${provider}" needs the npm package ${packageName}, which is not installed ` +
        `or could not be loaded (${errorMessage(cause)}): run \`npm install ${packageName}\`${hint}`,
      { cause, details: { package: packageName, ...sdk.details } },
    );
  }
  const exports = isObjectOrFunction(loaded) ? loaded : {};
  const defaultExport = exports['default'];
  const constructor =
    exports[className] ??
    (isObjectOrFunction(defaultExport) ? defaultExport[className] : undefined);
  if (typeof constructor !== 'function') {
    throw new LlmprocError(
      'PROVIDER_UNAVAILABLE',
      `the installed ${packageName} does not export ${className}; install a 1.x version${hint}`,
      { details: { package: packageName } },
    );
  }
  // The SDK's own constructor type is not importable without the package; the module was checked above.
  const client: unknown = Reflect.construct(constructor, [options]);
  if (!isAnthropicClient(client)) {
    throw new LlmprocError(
      'PROVIDER_UNAVAILABLE',
      `the installed ${packageName} client has no messages.create/stream; install a 1.x version`,
      { details: { package: packageName } },
    );
  }
  return client;
}
