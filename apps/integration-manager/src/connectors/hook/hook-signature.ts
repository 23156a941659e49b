import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const HOOK_SCHEMES = ['hmac_sha256', 'slack', 'github'] as const;
export type HookScheme = (typeof HOOK_SCHEMES)[number];

/** How a hook connection's calls are signed (its `config`, defaults filled in). */
export interface HookSignatureConfig {
  scheme: HookScheme;
  /** hmac_sha256 only: the header carrying the hex signature (an optional `sha256=` prefix is accepted). */
  signature_header: string;
  /** hmac_sha256 only: the header carrying the Unix time (seconds) that is signed with the body. */
  timestamp_header: string;
  /** How far the signed time may be from now, either way. */
  tolerance_seconds: number;
}

export const HOOK_DEFAULTS = {
  signature_header: 'x-baton-signature',
  timestamp_header: 'x-baton-timestamp',
  tolerance_seconds: 300,
  /** GitHub signs no time: a seen signature is remembered this long instead. */
  github_replay_window_seconds: 7 * 24 * 3600,
};

export type Verdict =
  | {
      ok: true;
      /** Identifies this signed call: a second call with it is a replay. */
      digest: string;
      /** Until when the digest must be remembered (after that the time check refuses it anyway). */
      rememberUntil: Date;
    }
  | { ok: false; reason: 'bad_signature' | 'stale' };

/** Header names the scheme reads: the gateway forwards only these (and content-type). */
export function signedHeaders(config: HookSignatureConfig): string[] {
  switch (config.scheme) {
    case 'slack':
      return ['x-slack-signature', 'x-slack-request-timestamp'];
    case 'github':
      return ['x-hub-signature-256'];
    default:
      return [config.signature_header.toLowerCase(), config.timestamp_header.toLowerCase()];
  }
}

/**
 * Verifies a call against the connection's signing secret over the exact
 * bytes received. Constant-time comparison; the timestamp (where the
 * scheme has one) must be within `tolerance_seconds` of `now`.
 */
export function verifyHook(
  config: HookSignatureConfig,
  secret: string,
  headers: Record<string, string>,
  body: Buffer,
  now = Date.now(),
): Verdict {
  const header = (name: string) => headers[name.toLowerCase()];
  const hmac = (...parts: (string | Buffer)[]) => {
    const mac = createHmac('sha256', secret);
    for (const part of parts) mac.update(part);
    return mac.digest('hex');
  };
  let expected: string;
  let given: string | undefined;
  let timestamp: number | null = null;
  switch (config.scheme) {
    case 'slack': {
      const ts = header('x-slack-request-timestamp');
      if (!ts || !/^\d{1,12}$/.test(ts)) return { ok: false, reason: 'bad_signature' };
      timestamp = Number(ts);
      expected = `v0=${hmac(`v0:${ts}:`, body)}`;
      given = header('x-slack-signature');
      break;
    }
    case 'github':
      expected = `sha256=${hmac(body)}`;
      given = header('x-hub-signature-256');
      break;
    default: {
      const ts = header(config.timestamp_header);
      if (!ts || !/^\d{1,12}$/.test(ts)) return { ok: false, reason: 'bad_signature' };
      timestamp = Number(ts);
      expected = hmac(`${ts}.`, body);
      given = header(config.signature_header)?.replace(/^sha256=/, '');
    }
  }
  if (!given || !safeEqual(given, expected)) return { ok: false, reason: 'bad_signature' };
  const nowSeconds = Math.floor(now / 1000);
  if (timestamp !== null && Math.abs(nowSeconds - timestamp) > config.tolerance_seconds) {
    return { ok: false, reason: 'stale' };
  }
  const rememberUntil =
    timestamp === null
      ? new Date(now + HOOK_DEFAULTS.github_replay_window_seconds * 1000)
      : new Date((timestamp + config.tolerance_seconds + 1) * 1000);
  return { ok: true, digest: createHash('sha256').update(expected).digest('hex'), rememberUntil };
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a.toLowerCase(), 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
