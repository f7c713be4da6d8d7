import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/** The GameLift Streams exceptions the emulator can answer with, and their HTTP status. */
export const EMULATED_ERRORS = {
  ValidationException: 400,
  AccessDeniedException: 403,
  ResourceNotFoundException: 404,
  ConflictException: 409,
  StreamSessionAccessNotReadyException: 409,
  ThrottlingException: 429,
  InternalServerException: 500,
  // Authentication failures (before any operation runs).
  MissingAuthenticationTokenException: 403,
  IncompleteSignatureException: 403,
  InvalidSignatureException: 403,
  UnrecognizedClientException: 403,
  UnknownOperationException: 404,
} as const;

/** One of the exception names of {@link EMULATED_ERRORS}. */
export type EmulatedErrorType = keyof typeof EMULATED_ERRORS;

/** The HTTP statuses that can be injected, and the exception each stands for. */
export const INJECTABLE_STATUS = {
  403: 'AccessDeniedException',
  404: 'ResourceNotFoundException',
  409: 'StreamSessionAccessNotReadyException',
  429: 'ThrottlingException',
  500: 'InternalServerException',
} as const satisfies Record<number, EmulatedErrorType>;

/**
 * Sends a REST JSON error as the service does: the status code, the exception name in the
 * `x-amzn-ErrorType` header and in the body's `__type`, and `message` in the body. The SDK picks the
 * exception class from the header.
 */
export function sendError(res: ServerResponse, errorType: EmulatedErrorType, message: string): void {
  const body = JSON.stringify({ __type: errorType, message });
  res.writeHead(EMULATED_ERRORS[errorType], {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'x-amzn-errortype': errorType,
    'x-amzn-requestid': randomUUID(),
  });
  res.end(body);
}

/** Sends a 200 REST JSON answer. */
export function sendJson(res: ServerResponse, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(200, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': randomUUID(),
  });
  res.end(body);
}
