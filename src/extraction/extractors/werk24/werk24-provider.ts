/**
 * The Werk24 provider: configuration from the environment, a timeout, and the mapping of transport
 * failures to ExtractionError codes (transient -> PROVIDER_UNAVAILABLE, credentials -> NOT_CONFIGURED).
 */
import { ExtractionError } from '../extraction-error';
import { Werk24Ask, Werk24File, Werk24TechreadMessage } from './werk24-protocol';
import { TechreadWebSocketTransport, Werk24Transport } from './werk24-transport';
import { Werk24TransportError } from './werk24-transport-error';

export interface Werk24Provider {
  readDrawing(
    file: Werk24File,
    asks: Werk24Ask[],
    signal: AbortSignal,
  ): Promise<Werk24TechreadMessage[]>;
}

export interface Werk24Config {
  apiKey: string;
  endpoint: URL;
  timeoutMs: number;
  maxPages: number;
}

export const NOT_CONFIGURED_MESSAGE =
  'Werk24 is not configured: set WERK24_API_KEY and WERK24_BASE_URL';
const DEFAULT_TIMEOUT_MS = 180_000;
const DEFAULT_MAX_PAGES = 5;

function positiveInt(raw: string | undefined, fallback: number, name: string): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0)
    throw new ExtractionError('NOT_CONFIGURED', `${name} must be a positive integer`);
  return value;
}

/** Reads WERK24_API_KEY, WERK24_BASE_URL (ws[s]:// or http[s]://), WERK24_TIMEOUT_MS, WERK24_MAX_PAGES. */
export function werk24ConfigFromEnv(env: NodeJS.ProcessEnv): Werk24Config {
  const apiKey = env.WERK24_API_KEY?.trim();
  const base = env.WERK24_BASE_URL?.trim();
  if (!apiKey || !base) throw new ExtractionError('NOT_CONFIGURED', NOT_CONFIGURED_MESSAGE);
  let endpoint: URL;
  try {
    endpoint = new URL(base);
  } catch {
    throw new ExtractionError('NOT_CONFIGURED', `WERK24_BASE_URL is not a URL: ${base}`);
  }
  // The Techread API is a WebSocket; an http(s) base means the same host over ws(s).
  if (endpoint.protocol === 'https:') endpoint.protocol = 'wss:';
  if (endpoint.protocol === 'http:') endpoint.protocol = 'ws:';
  if (endpoint.protocol !== 'wss:' && endpoint.protocol !== 'ws:') {
    throw new ExtractionError(
      'NOT_CONFIGURED',
      `WERK24_BASE_URL must be a wss:// (or https://) URL, got ${endpoint.protocol}`,
    );
  }
  return {
    apiKey,
    endpoint,
    timeoutMs: positiveInt(env.WERK24_TIMEOUT_MS, DEFAULT_TIMEOUT_MS, 'WERK24_TIMEOUT_MS'),
    maxPages: positiveInt(env.WERK24_MAX_PAGES, DEFAULT_MAX_PAGES, 'WERK24_MAX_PAGES'),
  };
}

function fromHttpStatus(status: number, message: string, phase?: 'upload'): ExtractionError {
  if (phase === 'upload' && (status === 401 || status === 403)) {
    // The presigned POST carries its own short-lived signature: a refusal there is worth a retry.
    return new ExtractionError(
      'PROVIDER_UNAVAILABLE',
      `Werk24 refused the upload (HTTP ${status}; presigned POST expired?)`,
    );
  }
  if (status === 401 || status === 403) {
    return new ExtractionError(
      'NOT_CONFIGURED',
      `Werk24 rejected the credentials (HTTP ${status}): check WERK24_API_KEY`,
    );
  }
  if (status === 413)
    return new ExtractionError(
      'FILE_TOO_LARGE',
      `Werk24 refused the drawing as too large (HTTP 413)`,
    );
  if (status === 415)
    return new ExtractionError(
      'UNSUPPORTED_FORMAT',
      `Werk24 cannot read this file type (HTTP 415)`,
    );
  if (status === 429) {
    // Werk24 answers 429 for an account without credits: retrying will not help.
    return new ExtractionError(
      'PROVIDER_UNAVAILABLE',
      'Werk24 account has insufficient credits (HTTP 429)',
      { permanent: true },
    );
  }
  if (status >= 400 && status < 500) {
    return new ExtractionError('EXTRACTION_FAILED', `Werk24 refused the request: ${message}`, {
      permanent: true,
    });
  }
  return new ExtractionError('PROVIDER_UNAVAILABLE', `Werk24 is unavailable: ${message}`);
}

export function toExtractionError(
  error: unknown,
  outer: AbortSignal,
  timeout: AbortSignal,
  timeoutMs: number,
): ExtractionError {
  if (error instanceof ExtractionError) return error;
  if (outer.aborted)
    return new ExtractionError('ABORTED', 'Extraction was aborted', { permanent: false });
  if (timeout.aborted) {
    return new ExtractionError(
      'PROVIDER_UNAVAILABLE',
      `Werk24 did not answer within ${timeoutMs / 1000} s`,
    );
  }
  if (error instanceof Werk24TransportError) {
    switch (error.kind) {
      case 'http':
        return fromHttpStatus(error.status ?? 0, error.message, error.phase);
      case 'unauthorized':
        return new ExtractionError('NOT_CONFIGURED', `${error.message}: check WERK24_API_KEY`);
      case 'network':
      case 'timeout':
        return new ExtractionError('PROVIDER_UNAVAILABLE', error.message);
      case 'aborted':
        return new ExtractionError('ABORTED', 'Extraction was aborted', { permanent: false });
      case 'protocol':
        return new ExtractionError(
          'EXTRACTION_FAILED',
          `Werk24 answered in an unexpected way: ${error.message}`,
        );
    }
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ExtractionError('EXTRACTION_FAILED', `Werk24 request failed: ${message}`);
}

/** Talks to Werk24 through a transport (the WebSocket one in production, a fake in tests). */
export class TechreadProvider implements Werk24Provider {
  constructor(
    private readonly transport: Werk24Transport,
    private readonly options: { timeoutMs: number; maxPages: number },
  ) {}

  async readDrawing(
    file: Werk24File,
    asks: Werk24Ask[],
    signal: AbortSignal,
  ): Promise<Werk24TechreadMessage[]> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const combined = AbortSignal.any([signal, timeout]);
    try {
      return await this.transport.read({ file, asks, maxPages: this.options.maxPages }, combined);
    } catch (error) {
      throw toExtractionError(error, signal, timeout, this.options.timeoutMs);
    }
  }
}

/** The production provider; throws NOT_CONFIGURED (permanent) without credentials. */
export function createWerk24Provider(env: NodeJS.ProcessEnv = process.env): Werk24Provider {
  const config = werk24ConfigFromEnv(env);
  return new TechreadProvider(
    new TechreadWebSocketTransport(config.endpoint, config.apiKey),
    config,
  );
}
