import { BaseEnv } from '@baton/service-kit';
import { IsInt, Max, Min } from 'class-validator';

export class GatewayEnv extends BaseEnv {
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
}
