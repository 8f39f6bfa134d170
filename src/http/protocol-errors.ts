import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { maxHeaderSize, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { MalformedRequestError } from '../common/domain-error.js';
import { ErrorCode } from '../common/error-code.js';
import { errorBody, errorCodeForStatus, statusText, type ErrorBody } from './error-responses.js';
import { REQUEST_ID_HEADER } from './request-id.js';
import { SECURITY_HEADERS } from './security-headers.js';

/**
 * Answers given before any route runs, in the error shape with a code of ours and the security
 * headers, and without echoing the request: Node's parser refusing a request (Fastify's
 * clientErrorHandler) and the router refusing a URL (its frameworkErrors).
 */

export const PARSER_ERRORS: Record<string, { code: ErrorCode; message: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: { code: ErrorCode.RequestTimeout, message: 'The request did not arrive in full in time.' },
  HPE_HEADER_OVERFLOW: { code: ErrorCode.HeadersTooLarge, message: `The request line and headers are larger than ${maxHeaderSize / 1024} KiB.` },
};
export const NOT_HTTP = { code: ErrorCode.MalformedRequest, message: 'The request is not valid HTTP/1.1.' };

export const ROUTER_ERRORS: Record<string, { code: ErrorCode; message: string }> = {
  FST_ERR_BAD_URL: { code: ErrorCode.MalformedRequest, message: 'The URL is not valid percent-encoded UTF-8.' },
  FST_ERR_MAX_PARAM_LENGTH: { code: ErrorCode.UriTooLong, message: 'A path parameter is longer than 100 characters.' },
};

/** Responses being written, by socket, so that a client error never cuts into one. */
const responsesInFlight = new WeakMap<Socket, ServerResponse>();

export function trackResponse(request: FastifyRequest, reply: FastifyReply): void {
  responsesInFlight.set(request.raw.socket, reply.raw);
}

/**
 * Fastify's clientErrorHandler: Node could not read a request (a malformed request line, header or
 * chunk, headers over maxHeaderSize, a request that did not arrive within its timeout). There is no
 * request to route, so the answer is written to the socket, which is then closed.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const response = responsesInFlight.get(socket);
  const midResponse = response !== undefined && response.headersSent && !response.writableEnded;
  if (socket.writable && !midResponse) {
    const { code, message } = PARSER_ERRORS[error.code ?? ''] ?? NOT_HTTP;
    socket.write(rawHttpAnswer(errorBody(code, message)));
  }
  socket.destroy(error);
}

function rawHttpAnswer(body: ErrorBody): string {
  const json = JSON.stringify(body);
  const headers = [
    `HTTP/1.1 ${body.statusCode} ${statusText(body.statusCode)}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(json)}`,
    'Connection: close',
    ...SECURITY_HEADERS.map(([name, value]) => `${name}: ${value}`),
  ];
  return `${headers.join('\r\n')}\r\n\r\n${json}`;
}

/** Fastify's frameworkErrors: the router refused the URL before any hook ran. */
export function answerRouterError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const { code, message } = ROUTER_ERRORS[error.code] ?? { code: errorCodeForStatus(error.statusCode ?? 500), message: statusText(error.statusCode ?? 500) };
  const body = errorBody(code, message);
  void reply
    .status(body.statusCode)
    .headers(Object.fromEntries(SECURITY_HEADERS))
    .header(REQUEST_ID_HEADER, request.id)
    .send(body);
}

/**
 * Node answers an HTTP/1.1 request without Host 400 with an empty body; with requireHostHeader off,
 * this hook refuses it instead, in the error shape.
 */
export function refuseMissingHost(request: FastifyRequest): MalformedRequestError | undefined {
  const needsHost = request.raw.httpVersionMajor === 1 && request.raw.httpVersionMinor >= 1;
  return needsHost && !request.headers.host ? new MalformedRequestError('An HTTP/1.1 request must carry a Host header.') : undefined;
}
