import { createHmac } from 'node:crypto';
import { verifyHook, type HookSignatureConfig } from './hook-signature';

const SECRET = 'shh-its-a-secret';
const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const nowSeconds = String(NOW / 1000);
const body = Buffer.from('{"text":"héllo","n":1}');
const hex = (...parts: (string | Buffer)[]) => {
  const mac = createHmac('sha256', SECRET);
  for (const p of parts) mac.update(p);
  return mac.digest('hex');
};
const config = (scheme: HookSignatureConfig['scheme']): HookSignatureConfig => ({
  scheme,
  signature_header: 'X-Sig',
  timestamp_header: 'X-Ts',
  tolerance_seconds: 300,
});

describe('verifyHook', () => {
  it('accepts a generic HMAC over "<timestamp>.<body>", with or without the sha256= prefix', () => {
    const signature = hex(`${nowSeconds}.`, body);
    for (const given of [signature, `sha256=${signature}`, signature.toUpperCase()]) {
      const verdict = verifyHook(
        config('hmac_sha256'),
        SECRET,
        { 'x-sig': given, 'x-ts': nowSeconds },
        body,
        NOW,
      );
      expect(verdict).toMatchObject({
        ok: true,
        digest: expect.stringMatching(/^[0-9a-f]{64}$/) as string,
      });
    }
  });

  it('refuses a generic HMAC over other bytes, another secret, or without its timestamp', () => {
    const signature = hex(`${nowSeconds}.`, body);
    const other = Buffer.from('{"text":"hello","n":1}');
    expect(
      verifyHook(
        config('hmac_sha256'),
        SECRET,
        { 'x-sig': signature, 'x-ts': nowSeconds },
        other,
        NOW,
      ),
    ).toEqual({ ok: false, reason: 'bad_signature' });
    expect(
      verifyHook(
        config('hmac_sha256'),
        'other',
        { 'x-sig': signature, 'x-ts': nowSeconds },
        body,
        NOW,
      ),
    ).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyHook(config('hmac_sha256'), SECRET, { 'x-sig': signature }, body, NOW)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    // The timestamp is signed: moving it breaks the signature.
    expect(
      verifyHook(
        config('hmac_sha256'),
        SECRET,
        { 'x-sig': signature, 'x-ts': String(NOW / 1000 + 1) },
        body,
        NOW,
      ),
    ).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('refuses a correctly signed call whose timestamp is outside the tolerance', () => {
    const old = String(NOW / 1000 - 301);
    expect(
      verifyHook(
        config('hmac_sha256'),
        SECRET,
        { 'x-sig': hex(`${old}.`, body), 'x-ts': old },
        body,
        NOW,
      ),
    ).toEqual({ ok: false, reason: 'stale' });
    const future = String(NOW / 1000 + 301);
    expect(
      verifyHook(
        config('slack'),
        SECRET,
        {
          'x-slack-signature': `v0=${hex(`v0:${future}:`, body)}`,
          'x-slack-request-timestamp': future,
        },
        body,
        NOW,
      ),
    ).toEqual({ ok: false, reason: 'stale' });
  });

  it("checks Slack's v0 signature of v0:<timestamp>:<body>", () => {
    const headers = {
      'x-slack-signature': `v0=${hex(`v0:${nowSeconds}:`, body)}`,
      'x-slack-request-timestamp': nowSeconds,
    };
    const verdict = verifyHook(config('slack'), SECRET, headers, body, NOW);
    expect(verdict).toMatchObject({ ok: true, rememberUntil: new Date(NOW + 301_000) });
    expect(
      verifyHook(
        config('slack'),
        SECRET,
        { ...headers, 'x-slack-signature': `v1=${hex(`v0:${nowSeconds}:`, body)}` },
        body,
        NOW,
      ).ok,
    ).toBe(false);
  });

  it("checks GitHub's X-Hub-Signature-256 and remembers it for the replay window", () => {
    const verdict = verifyHook(
      config('github'),
      SECRET,
      { 'x-hub-signature-256': `sha256=${hex(body)}` },
      body,
      NOW,
    );
    expect(verdict).toMatchObject({ ok: true });
    expect(
      verifyHook(config('github'), SECRET, { 'x-hub-signature-256': hex(body) }, body, NOW).ok,
    ).toBe(false);
    expect(verifyHook(config('github'), SECRET, {}, body, NOW).ok).toBe(false);
  });

  it('gives the same digest to the same signed call (the replay key) and another to a new one', () => {
    const headers = (ts: string) => ({ 'x-sig': hex(`${ts}.`, body), 'x-ts': ts });
    const first = verifyHook(config('hmac_sha256'), SECRET, headers(nowSeconds), body, NOW);
    const again = verifyHook(config('hmac_sha256'), SECRET, headers(nowSeconds), body, NOW + 5000);
    const later = String(NOW / 1000 + 1);
    const next = verifyHook(config('hmac_sha256'), SECRET, headers(later), body, NOW + 1000);
    expect(first.ok && again.ok && next.ok).toBe(true);
    if (first.ok && again.ok && next.ok) {
      expect(again.digest).toBe(first.digest);
      expect(next.digest).not.toBe(first.digest);
    }
  });
});
