import { clientErrorResponse } from './client-errors';

function parse(raw: string): {
  statusLine: string;
  headers: string[];
  body: Record<string, unknown>;
} {
  const [head, body] = raw.split('\r\n\r\n');
  const [statusLine, ...headers] = head.split('\r\n');
  return { statusLine, headers, body: JSON.parse(body) as Record<string, unknown> };
}

describe('clientErrorResponse', () => {
  it('answers headers past the limit with 431 problem+json', () => {
    const { statusLine, headers, body } = parse(clientErrorResponse('HPE_HEADER_OVERFLOW'));
    expect(statusLine).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect(headers).toContain('Content-Type: application/problem+json');
    expect(body).toMatchObject({ status: 431, code: 'REQUEST.MALFORMED' });
  });

  it('answers any other parse error with 400, and says the length of what it sends', () => {
    const raw = clientErrorResponse('HPE_INVALID_METHOD');
    const { statusLine, headers, body } = parse(raw);
    expect(statusLine).toBe('HTTP/1.1 400 Bad Request');
    const length = Number(headers.find((h) => h.startsWith('Content-Length'))?.split(': ')[1]);
    expect(length).toBe(Buffer.byteLength(JSON.stringify(body)));
    expect(headers).toContain('Connection: close');
  });

  it('answers a request timeout with 408', () => {
    expect(parse(clientErrorResponse('ERR_HTTP_REQUEST_TIMEOUT')).body.status).toBe(408);
  });
});
