/**
 * The provider of a replayed process: it builds requests with the recorded provider's own mapper,
 * checks each against the recording and answers with the recorded response. The first model call
 * of a process picks the recorded process it replays (see ReplaySession.assign).
 */
import { LlmprocError } from '../../errors.js';
import { redactSecrets } from '../../internal/redact.js';
import type {
  GenerateOptions,
  GenerateResult,
  ModelRequest,
  Provider,
  TokenCount,
} from '../../providers/types.js';
import { toJsonSafe } from '../json-safe.js';
import type { ReplayCodec } from './codecs.js';
import type { RecordedProcess } from './recording.js';

/** What a replay provider asks of its session. */
export interface ReplayHost {
  assign(provider: ReplayProvider, request: ReturnType<typeof toJsonSafe>): RecordedProcess;
  check(
    recorded: RecordedProcess,
    index: number,
    request: ReturnType<typeof toJsonSafe>,
  ): RecordedProcess['exchanges'][number];
  expectToolCalls(
    recorded: RecordedProcess,
    response: GenerateResult['response'],
    exchange: RecordedProcess['exchanges'][number],
  ): void;
}

export class ReplayProvider implements Provider {
  readonly name: string;
  /** The process this one was forked from, for matching children to recorded children. */
  readonly parent: ReplayProvider | undefined;
  #recorded: RecordedProcess | undefined;
  #next = 0;

  constructor(
    private readonly host: ReplayHost,
    private readonly codec: ReplayCodec,
    provider: string,
    options: { parent?: ReplayProvider; recorded?: RecordedProcess } = {},
  ) {
    this.name = provider;
    this.parent = options.parent;
    this.#recorded = options.recorded;
  }

  /** The recorded process this one replays, once its first model call has matched one. */
  get recorded(): RecordedProcess | undefined {
    return this.#recorded;
  }

  buildRequest(request: ModelRequest): Record<string, unknown> {
    return this.codec.buildRequest(request);
  }

  async doGenerate(
    payload: Record<string, unknown>,
    options: GenerateOptions,
  ): Promise<GenerateResult> {
    const aborted = (): LlmprocError =>
      new LlmprocError('ABORTED', 'The replayed model call was aborted', {
        cause: options.signal?.reason,
      });
    if (options.signal?.aborted) throw aborted();
    // A model answers asynchronously; so does a replay, so that concurrent children interleave.
    await Promise.resolve();
    const request = toJsonSafe(redactSecrets(payload));
    const recorded = (this.#recorded ??= this.host.assign(this, request));
    const exchange = this.host.check(recorded, this.#next, request);
    this.#next++;
    const response = this.codec.fromRaw(exchange.response, payload);
    this.host.expectToolCalls(recorded, response, exchange);
    if (payload['stream'] === true && options.onTextDelta) {
      for (const delta of exchange.deltas) {
        if (options.signal?.aborted) throw aborted();
        options.onTextDelta(delta);
      }
    }
    // A copy: the loop and callbacks may keep the object, and a later replay reads the recording again.
    return { raw: structuredClone(exchange.response), response };
  }

  /** A replay has no token counter. */
  countTokens(): Promise<TokenCount | null> {
    return Promise.resolve(null);
  }

  fork(): ReplayProvider {
    return new ReplayProvider(this.host, this.codec, this.name, { parent: this });
  }
}
