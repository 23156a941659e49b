import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { StoredEventView } from './api-types';
import { BatonConnectionError } from './errors';
import type { HttpClient } from './http-client';

/** One event of a run's stream: `workflow.step.completed` and the stored event behind it. */
export interface RunStreamEvent {
  id?: string;
  type: string;
  event: StoredEventView;
}

/**
 * Follows `GET /v1/runs/{id}/events` (Server-Sent Events): the run's history,
 * then its live events, until the run ends and the gateway closes the stream.
 * A dropped connection is resumed with Last-Event-ID, so no event is missed or
 * repeated. Resolves when the stream ends; `signal` stops it early.
 */
export async function followRunEvents(
  http: HttpClient,
  runId: string,
  onEvent: (event: RunStreamEvent) => void,
  options: { signal?: AbortSignal; maxReconnects?: number } = {},
): Promise<void> {
  let lastEventId: string | undefined;
  let reconnects = 0;
  for (;;) {
    try {
      const response = await http.open('GET', `/v1/runs/${encodeURIComponent(runId)}/events`, {
        headers: {
          accept: 'text/event-stream',
          ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
        },
        signal: options.signal,
      });
      await readStream(response, (message) => {
        if (message.id) lastEventId = message.id;
        if (message.event === 'error') {
          throw new BatonConnectionError(http.endpoint, `run stream: ${message.data}`);
        }
        onEvent({
          ...(message.id ? { id: message.id } : {}),
          type: message.event ?? 'message',
          event: JSON.parse(message.data) as StoredEventView,
        });
      });
      return; // the gateway ends the stream when the run has ended
    } catch (error) {
      if (options.signal?.aborted || !(error instanceof BatonConnectionError)) throw error;
      if (++reconnects > (options.maxReconnects ?? 5)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500 * reconnects));
    }
  }
}

async function readStream(
  response: Response,
  onMessage: (message: EventSourceMessage) => void,
): Promise<void> {
  if (!response.body) return;
  let failure: unknown;
  const parser = createParser({
    onEvent: (message) => {
      if (failure === undefined) {
        try {
          onMessage(message);
        } catch (error) {
          failure = error;
        }
      }
    },
  });
  const decoder = new TextDecoder();
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      parser.feed(decoder.decode(chunk, { stream: true }));
      if (failure !== undefined) break;
    }
  } catch (error) {
    // The connection dropped mid-stream: resumable.
    throw new BatonConnectionError('the run stream', (error as Error).message);
  }
  if (failure !== undefined) throw failure;
}
