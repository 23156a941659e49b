import type { OutboundHttp } from '@baton/service-kit';

/** Statuses whose response cannot have a body (the Response constructor refuses one). */
const NO_BODY = new Set([101, 204, 205, 304]);

/**
 * A fetch for the MCP client that goes through the connectors' outbound guard
 * and stops reading a response past `maxBytes`: a server cannot make this
 * service hold an answer of any size in memory.
 */
export function boundedFetch(
  http: OutboundHttp,
  maxBytes: number,
): (url: string | URL, init?: RequestInit) => Promise<Response> {
  return async (url, init) => {
    const response = await http.fetch(url, init as never);
    const body = response.body as ReadableStream<Uint8Array> | null;
    if (!body || NO_BODY.has(response.status)) {
      return new Response(null, { status: response.status, headers: response.headers as never });
    }
    return new Response(body.pipeThrough(byteLimit(maxBytes)), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers as never,
    });
  };
}

function byteLimit(maxBytes: number): TransformStream<Uint8Array, Uint8Array> {
  let seen = 0;
  return new TransformStream({
    transform(chunk, controller) {
      seen += chunk.byteLength;
      if (seen > maxBytes) {
        controller.error(new Error(`the response is larger than ${maxBytes} bytes`));
        return;
      }
      controller.enqueue(chunk);
    },
  });
}
