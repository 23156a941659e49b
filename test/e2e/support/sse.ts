import { platformState } from './platform';

export interface ServerSentEvent {
  id?: string;
  event: string;
  data: string;
}

export interface SseResult {
  status: number;
  contentType: string;
  events: ServerSentEvent[];
  /** True when the server ended the stream (rather than the reader giving up). */
  closedByServer: boolean;
}

/**
 * Reads a text/event-stream from the gateway until the server closes it,
 * calling `onEvent` for each event as it arrives; fails after `timeoutMs`.
 */
export async function readSse(
  path: string,
  options: {
    onEvent?: (event: ServerSentEvent) => void;
    headers?: Record<string, string>;
    timeoutMs?: number;
  } = {},
): Promise<SseResult> {
  const state = platformState();
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), options.timeoutMs ?? 30_000);
  try {
    const response = await fetch(state.gatewayUrl + path, {
      headers: { authorization: `Bearer ${state.apiKey}`, ...options.headers },
      signal: abort.signal,
    });
    const result: SseResult = {
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      events: [],
      closedByServer: false,
    };
    if (!response.body || !result.contentType.startsWith('text/event-stream')) {
      await response.text();
      return result;
    }
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = parseBlock(block);
        if (event) {
          result.events.push(event);
          options.onEvent?.(event);
        }
      }
    }
    result.closedByServer = true;
    return result;
  } catch (error) {
    if (abort.signal.aborted) throw new Error(`the event stream ${path} did not end in time`);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

function parseBlock(block: string): ServerSentEvent | undefined {
  const event: ServerSentEvent = { event: 'message', data: '' };
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue; // a comment (keep-alive)
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event.event = value;
    else if (field === 'data') data.push(value);
    else if (field === 'id') event.id = value;
  }
  if (data.length === 0) return undefined;
  event.data = data.join('\n');
  return event;
}
