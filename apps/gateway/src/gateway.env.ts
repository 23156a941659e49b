import { BaseEnv } from '@baton/service-kit';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';

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
}
