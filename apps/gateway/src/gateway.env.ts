import { BaseEnv } from '@baton/service-kit';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, IsUrl, Max, Min } from 'class-validator';

export class GatewayEnv extends BaseEnv {
  /**
   * The keyring (as in every service that handles secrets): the gateway seals
   * a vault secret's value before it goes on Kafka. See EncryptedDatabaseEnv.
   */
  @IsOptional()
  @IsString()
  BATON_ENCRYPTION_KEYS?: string;

  @IsOptional()
  @IsString()
  BATON_ENCRYPTION_KEY?: string;

  /** How long the gateway waits for a service's answer before a 504. */
  @IsInt()
  @Min(100)
  @Max(300_000)
  REQUEST_TIMEOUT_MS: number = 15_000;

  /** How long a verified API key is trusted without asking security-manager again. */
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  AUTH_CACHE_TTL_MS: number = 30_000;

  /**
   * HTTPS when both are set (PEM files): the certificate (its chain may
   * follow it in the same file) and its private key. Read and checked at
   * start (gateway-tls.ts); HTTP when neither is set.
   */
  @IsOptional()
  @IsString()
  GATEWAY_TLS_CERT_FILE?: string;

  @IsOptional()
  @IsString()
  GATEWAY_TLS_KEY_FILE?: string;

  /** Intermediate CA certificates (PEM) sent after the certificate, when not in its file. */
  @IsOptional()
  @IsString()
  GATEWAY_TLS_CA_FILE?: string;

  /** Largest request body (JSON or YAML); larger is a 413 naming the limit. */
  @IsInt()
  @Min(1_024)
  @Max(100 * 1_048_576)
  HTTP_BODY_MAX_BYTES: number = 1_048_576;

  /** Deepest nesting of a JSON body, checked before it is parsed into DTOs; deeper is a 422. */
  @IsInt()
  @Min(4)
  @Max(1_000)
  HTTP_JSON_MAX_DEPTH: number = 64;

  /** Most object keys in one JSON body; more is a 422. */
  @IsInt()
  @Min(10)
  @Max(10_000_000)
  HTTP_JSON_MAX_KEYS: number = 50_000;

  /**
   * The gateway's URL as browsers reach it (scheme, host, port, no path):
   * SAML SP entity ids and ACS URLs derive from it, and a change made with a
   * session cookie must come from its origin (or BATON_TRUSTED_ORIGINS).
   * Default: http(s)://localhost:PORT.
   */
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  BATON_PUBLIC_URL?: string;

  /** More origins (comma-separated) whose pages may make changes with a session cookie, e.g. a console served elsewhere. */
  @IsOptional()
  @IsString()
  BATON_TRUSTED_ORIGINS?: string;

  /** The built web console (index.html and assets/) served at /console; dist/console by default. */
  @IsOptional()
  @IsString()
  CONSOLE_DIR?: string;

  /** Marks the session cookie Secure; always so when the gateway serves TLS itself. */
  // From the raw text: implicit conversion would read "false" as true.
  @Transform(({ obj, key }) => String(obj[key]).toLowerCase() === 'true')
  @IsBoolean()
  BATON_COOKIE_SECURE: boolean = false;
  // Rate limits and the stream cap (apps/gateway/src/rate-limits, docs/adr/0021-rate-limits.md):
  // the defaults of every workspace; a platform admin sets a workspace's own with
  // PUT /v1/workspaces/{id}/limits.

  /** Requests one credential (API key, client, session) may make per window. */
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  RATE_LIMIT_REQUESTS_PER_KEY: number = 1_200;

  /** Requests all credentials of one workspace together may make per window. */
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  RATE_LIMIT_REQUESTS_PER_WORKSPACE: number = 6_000;

  /** The fixed window both request limits count over. */
  @IsInt()
  @Min(1)
  @Max(86_400)
  RATE_LIMIT_WINDOW_SECONDS: number = 60;

  /** Run event streams (SSE) one workspace may hold open at once, over all replicas. */
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  SSE_MAX_STREAMS_PER_WORKSPACE: number = 100;

  /**
   * How often each replica broadcasts its counts on baton.gateway.usage.
   * Replicas together may overshoot a limit by what arrives in one interval.
   */
  @IsInt()
  @Min(20)
  @Max(5_000)
  RATE_LIMIT_BROADCAST_MS: number = 200;

  /** How long a workspace's limits are used before they are fetched again (changes made through another replica arrive sooner, with its next broadcast). */
  @IsInt()
  @Min(1_000)
  @Max(3_600_000)
  LIMITS_CACHE_TTL_MS: number = 30_000;
  /** Failed authentications (401) from one client address per window before it is answered 429. */
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  AUTH_FAILURE_LIMIT: number = 100;

  /** The window of AUTH_FAILURE_LIMIT, and of the one audit record of an address's refusals. */
  @IsInt()
  @Min(1_000)
  @Max(86_400_000)
  AUTH_FAILURE_WINDOW_MS: number = 60_000;
}
