import { ApiError, type Problem } from './problem';

export interface ServerSentEvent {
  id?: string;
  event: string;
  data: string;
}

/** Splits a text/event-stream buffer into complete events and the unfinished rest. Pure. */
export function parseSseChunk(buffer: string): { events: ServerSentEvent[]; rest: string } {
  const events: ServerSentEvent[] = [];
  const normalised = buffer.replace(/\r\n/g, '\n');
  const blocks = normalised.split('\n\n');
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    const event: ServerSentEvent = { event: 'message', data: '' };
    const data: string[] = [];
    let any = false;
    for (const line of block.split('\n')) {
      if (!line || line.startsWith(':')) continue; // comments keep the connection alive
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event.event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'id') event.id = value;
      else continue;
      any = true;
    }
    if (!any) continue;
    event.data = data.join('\n');
    events.push(event);
  }
  return { events, rest };
}

/**
 * Follows a Server-Sent Events stream with fetch, because EventSource cannot
 * send the Authorization header. Resolves when the server ends the stream or
 * `signal` aborts; rejects with the problem when the stream cannot start.
 */
export async function followEvents(
  url: string,
  headers: Record<string, string>,
  onEvent: (event: ServerSentEvent) => void,
  signal: AbortSignal,
  lastEventId?: string,
  credentials: RequestCredentials = 'omit',
): Promise<void> {
  const response = await fetch(url, {
    headers: {
      ...headers,
      accept: 'text/event-stream',
      ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
    },
    signal,
    credentials,
  });
  if (!response.ok || !response.body) {
    const text = await response.text();
    let problem: Problem = { status: response.status, detail: text.slice(0, 500) };
    try {
      problem = { status: response.status, ...(JSON.parse(text) as Partial<Problem>) };
    } catch {
      /* not a problem document */
    }
    throw new ApiError(problem);
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buffer += value;
    const { events, rest } = parseSseChunk(buffer);
    buffer = rest;
    for (const event of events) onEvent(event);
  }
}
