import type { HttpCase } from './http-cases';
import type { HttpOutcome } from './http-verdict';

/**
 * Past the gateway's own 15 s request timeout (which answers 504), so that
 * only a request nobody answers at all counts as a hang.
 */
export const CLIENT_TIMEOUT_MS = 25_000;

/** Sends one case; a stream that opened (an SSE 200) is closed at once, since it never ends. */
export async function send(baseUrl: string, httpCase: HttpCase): Promise<HttpOutcome> {
  const first = await sendOnce(baseUrl, httpCase);
  // fetch reuses kept-alive sockets; one the server closed at that moment fails
  // without the request having been read. A second failure is the gateway's.
  return first.status === 'network-error' ? sendOnce(baseUrl, httpCase) : first;
}

async function sendOnce(baseUrl: string, httpCase: HttpCase): Promise<HttpOutcome> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), CLIENT_TIMEOUT_MS);
  try {
    const response = await fetch(baseUrl + httpCase.url, {
      method: httpCase.method,
      headers: httpCase.headers,
      body: httpCase.body,
      signal: controller.signal,
      redirect: 'manual',
    });
    const contentType = response.headers.get('content-type') ?? '';
    let bodyStart = '';
    if (contentType.startsWith('text/event-stream')) {
      controller.abort();
    } else {
      bodyStart = (await response.text()).slice(0, 600);
    }
    return { status: response.status, contentType, bodyStart };
  } catch (error) {
    const aborted = controller.signal.aborted;
    return {
      status: aborted ? 'timeout' : 'network-error',
      contentType: '',
      bodyStart: `${String(error)} ${String((error as { cause?: unknown }).cause ?? '')}`,
    };
  } finally {
    clearTimeout(timer);
  }
}

/** Runs `work` over `items` with at most `limit` in flight, in order of start. */
export async function inParallel<T, R>(
  items: T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index], index);
    }
  });
  await Promise.all(lanes);
  return results;
}
