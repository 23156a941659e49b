import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-baton-signature';

/**
 * The key a workspace's callbacks are signed with: HMAC-SHA256 of the
 * workspace id under BATON_CALLBACK_SECRET, as hex. Each workspace gets its
 * own, so a receiver of one tenant cannot forge another tenant's callbacks;
 * `node scripts/callback-key.js <workspace>` prints it for the operator.
 */
export function workspaceCallbackKey(masterSecret: string, workspaceId: string): string {
  return createHmac('sha256', masterSecret).update(`baton-callback:${workspaceId}`).digest('hex');
}

/**
 * `sha256=<hex>` of HMAC-SHA256 over the exact body bytes, the format
 * integration-manager's webhooks use too (GitHub style). The body carries
 * `sent_at`, so a receiver can refuse replays of old deliveries.
 */
export function signCallback(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Constant-time check, for receivers written in TypeScript (and for tests). */
export function verifyCallback(secret: string, body: string | Buffer, header: string): boolean {
  const expected = Buffer.from(signCallback(secret, body));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** Exponential backoff without jitter: base, 2·base, 4·base… capped at maxDelayMs. */
export function callbackDelayMs(attempts: number, baseMs: number, maxDelayMs: number): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 30);
  return Math.min(baseMs * 2 ** exponent, maxDelayMs);
}

export interface CallbackPayload {
  task_id: string;
  agent: string;
  status: string;
  output: unknown;
  error: { type: string; message: string } | null;
  finished_at: string | null;
  duration_ms: number | null;
  attempt: number;
  sent_at: string;
}

/** A short, single-line description of a failed delivery, kept on the task. */
export function describeFailure(status: number | null, detail: string): string {
  const text = detail.replace(/\s+/g, ' ').trim().slice(0, 300);
  return status === null ? text : `HTTP ${status}${text ? `: ${text}` : ''}`;
}
