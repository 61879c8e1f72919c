import type { IncomingHttpHeaders } from 'node:http';
import {
  createHttpHeaders,
  HttpClient,
  PipelineRequest,
  PipelineResponse,
  RestError,
} from '@azure/core-rest-pipeline';
import type { ProbeContext } from '../types';
import { describeUnanswered, originOf, ProbeFailure, probeHttp } from '../net';

/** Error thrown by the SDK transports when no HTTP answer came; carries the classified failure. */
export type TransportFailureError = Error & { probeFailure: ProbeFailure };

export function transportFailureOf(error: unknown): ProbeFailure | undefined {
  return (error as Partial<TransportFailureError>)?.probeFailure;
}

function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined)
      out[name] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return out;
}

function withSignal(
  ctx: ProbeContext,
  signal: AbortSignal | undefined,
): ProbeContext {
  if (!signal) return ctx;
  return {
    ...ctx,
    signal: ctx.signal ? AbortSignal.any([ctx.signal, signal]) : signal,
  };
}

function bodyOf(body: unknown): string | Uint8Array | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  throw new Error(
    'streaming request bodies are not supported by the guarded transport',
  );
}

/**
 * An Azure SDK HttpClient backed by probeHttp: Key Vault calls go through the host guard, the time budget and
 * the body cap; no redirects are followed (the SDK handles them).
 */
export function createAzureHttpClient(
  nextCtx: () => ProbeContext,
  ca?: string,
  onResponse?: (latencyMs: number) => void,
): HttpClient {
  return {
    async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      const result = await probeHttp(
        request.url,
        withSignal(nextCtx(), request.abortSignal as AbortSignal | undefined),
        {
          method: request.method,
          headers: request.headers.toJSON({ preserveCase: true }),
          body: bodyOf(request.body),
          maxRedirects: 0,
          ca,
        },
      );
      if (result.kind === 'failure') {
        const error = new RestError(
          describeUnanswered(originOf(result.url), result),
          {
            code: RestError.REQUEST_SEND_ERROR,
            request,
          },
        );
        throw Object.assign(error, { probeFailure: result });
      }
      onResponse?.(result.latencyMs);
      return {
        request,
        status: result.status,
        headers: createHttpHeaders(flatHeaders(result.headers)),
        bodyAsText: result.body,
      };
    },
  };
}

interface SmithyRequest {
  method: string;
  protocol: string;
  hostname: string;
  port?: number;
  path: string;
  query?: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body?: unknown;
}

/**
 * An AWS SDK v3 request handler backed by probeHttp (same guarantees as above). Duck-typed to smithy's
 * HttpHandler so no extra package is needed.
 */
export function createAwsRequestHandler(
  nextCtx: () => ProbeContext,
  ca?: string,
  onResponse?: (latencyMs: number) => void,
) {
  return {
    metadata: { handlerProtocol: 'http/1.1' },
    async handle(
      request: SmithyRequest,
      options?: { abortSignal?: AbortSignal },
    ) {
      const query = new URLSearchParams();
      for (const [key, value] of Object.entries(request.query ?? {})) {
        if (Array.isArray(value)) value.forEach(v => query.append(key, v));
        else if (value !== null && value !== undefined)
          query.append(key, value);
      }
      const host = request.hostname.includes(':')
        ? `[${request.hostname}]`
        : request.hostname;
      const qs = query.toString();
      const url = `${request.protocol}//${host}${
        request.port ? `:${request.port}` : ''
      }${request.path}${qs ? `?${qs}` : ''}`;
      const result = await probeHttp(
        url,
        withSignal(nextCtx(), options?.abortSignal as AbortSignal | undefined),
        {
          method: request.method,
          headers: request.headers,
          body: bodyOf(request.body),
          maxRedirects: 0,
          ca,
        },
      );
      if (result.kind === 'failure') {
        throw Object.assign(
          new Error(describeUnanswered(originOf(result.url), result)),
          {
            name:
              result.failure === 'timeout' ? 'TimeoutError' : 'NetworkingError',
            probeFailure: result,
          },
        );
      }
      onResponse?.(result.latencyMs);
      return {
        response: {
          statusCode: result.status,
          headers: flatHeaders(result.headers),
          body: result.bytes,
        },
      };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs() {
      return {};
    },
    destroy() {},
  };
}
