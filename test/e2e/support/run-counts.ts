import { api } from './platform';

/** How many runs of `workflow` (default workspace) have `status`, every page of GET /v1/runs read. */
export async function countRuns(workflow: string, status: string): Promise<number> {
  let count = 0;
  let cursor: string | null = null;
  do {
    const page: { status: number; body: { items: unknown[]; next_cursor: string | null } } =
      await api(
        'GET',
        `/v1/runs?workflow=${workflow}&status=${status}&limit=200${cursor ? `&cursor=${cursor}` : ''}`,
      );
    if (page.status !== 200) throw new Error(`GET /v1/runs: ${page.status}`);
    count += page.body.items.length;
    cursor = page.body.next_cursor;
  } while (cursor);
  return count;
}
