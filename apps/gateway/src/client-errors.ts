import { ErrorCodes, titleOf } from '@baton/contracts';
import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * The raw HTTP answer to a request Node's parser refused: headers past its
 * limit are a 431, a request timeout a 408, anything else unparseable a 400;
 * the same statuses Node picks, but as problem+json like every other 4xx.
 */
export function clientErrorResponse(errorCode: string | undefined): string {
  const status =
    errorCode === 'HPE_HEADER_OVERFLOW'
      ? 431
      : errorCode === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? 408
        : 400;
  const detail =
    status === 431
      ? 'the request line and headers are larger than the server accepts'
      : status === 408
        ? 'the request did not arrive in time'
        : 'the request is not valid HTTP';
  const code = ErrorCodes.badRequest;
  const body = JSON.stringify({
    type: `https://baton.dev/problems/${code.toLowerCase().replace(/[._]/g, '-')}`,
    title: titleOf(code),
    status,
    detail,
    code,
    category: code,
  });
  return [
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
    'Content-Type: application/problem+json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

/**
 * Node answers such requests itself, before express, with an empty body;
 * this listener replaces that answer (a listener disables Node's own).
 */
export function answerClientErrorsAsProblems(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // The peer is gone, or a response is already on its way: nothing to answer.
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    socket.end(clientErrorResponse(error.code));
  });
}
