import * as grpc from '@grpc/grpc-js';
import { context, propagation, trace, type Context } from '@opentelemetry/api';
import { DomainError, ErrorCodes, isErrorKind, kindOfGrpcStatus } from '../errors';

/**
 * What travels beside a gRPC message, written by one side and read by the other: the caller's trace
 * context (request metadata) and a failure's domain code, kind and details (trailing metadata).
 */

const ERROR_CODE_KEY = 'x-error-code';
const ERROR_KIND_KEY = 'x-error-kind';
const ERROR_DETAILS_KEY = 'x-error-details';

const metadataGetter = {
  keys: (carrier: grpc.Metadata) => Object.keys(carrier.getMap()),
  get: (carrier: grpc.Metadata, key: string) => {
    const values = carrier.get(key);
    return values.length ? String(values[0]) : undefined;
  },
};

/** Server side: the caller's trace context, unless an instrumentation already made it current. */
export function incomingTraceContext(metadata: grpc.Metadata): Context {
  if (trace.getActiveSpan()) return context.active();
  return propagation.extract(context.active(), metadata, metadataGetter);
}

/** Client side: stamps the current trace context (`traceparent`) on outgoing metadata. */
export function injectTraceContext(metadata: grpc.Metadata): void {
  propagation.inject(context.active(), metadata, { set: (carrier, key, value) => carrier.set(key, value) });
}

/**
 * JSON with every character outside printable ASCII written as a \uXXXX escape: a metadata value
 * may only hold printable ASCII (grpc-js throws on anything else, e.g. a coworking named in
 * Cyrillic), and JSON.parse on the other side restores the text unchanged.
 */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Server side: the trailers that carry a public error's code, kind and details. */
export function errorTrailer(error: DomainError): grpc.Metadata {
  const trailer = new grpc.Metadata();
  trailer.set(ERROR_CODE_KEY, error.code);
  trailer.set(ERROR_KIND_KEY, error.kind);
  trailer.set(ERROR_DETAILS_KEY, asciiJson(error.details));
  return trailer;
}

/** Client side: restores the domain error a gRPC server sent, or classifies a transport failure. */
export function fromGrpcError(error: grpc.ServiceError, dependency: string): DomainError {
  const code = error.metadata?.get(ERROR_CODE_KEY)[0];
  if (typeof code === 'string' && code.length > 0) {
    let details: Record<string, unknown> = {};
    try {
      details = JSON.parse(String(error.metadata.get(ERROR_DETAILS_KEY)[0] ?? '{}')) as Record<string, unknown>;
    } catch {
      details = {};
    }
    const sentKind = error.metadata.get(ERROR_KIND_KEY)[0];
    const kind = isErrorKind(sentKind) ? sentKind : kindOfGrpcStatus(error.code);
    return new DomainError(kind, code, error.details || error.message, details);
  }
  const statusName = grpc.status[error.code] ?? 'UNKNOWN';
  // UNIMPLEMENTED with no campus code is the transport's: the peer has no such method, i.e. it
  // runs an older version mid-rollout. Retry later, like a peer that is down, not INTERNAL_ERROR.
  const kind = error.code === grpc.status.UNIMPLEMENTED ? 'UNAVAILABLE' : kindOfGrpcStatus(error.code);
  const message =
    kind === 'UNAVAILABLE'
      ? `The ${dependency} service is unavailable (${statusName})`
      : `The ${dependency} service failed (${statusName})`;
  return new DomainError(kind, ErrorCodes[kind], message, { dependency, grpcStatus: statusName });
}
