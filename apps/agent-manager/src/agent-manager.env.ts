import { IntBetween } from '@baton/contracts';
import { EncryptedDatabaseEnv } from '@baton/service-kit';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Matches, Min, MinLength } from 'class-validator';

/** Signs task callbacks when BATON_CALLBACK_SECRET is not set: fine locally, never in production. */
export const DEVELOPMENT_CALLBACK_SECRET = 'baton-development-callback-secret';

export class AgentManagerEnv extends EncryptedDatabaseEnv {
  /** How long a vault secret an HTTP or LLM agent uses is kept before it is asked for again. */
  @IntBetween(0, 600_000)
  AGENT_SECRET_CACHE_MS: number = 30_000;

  /**
   * Prices of models per 1,000 tokens, as JSON (`{"<model>":{"prompt_per_1k":0.15,"completion_per_1k":0.6}}`):
   * the cost recorded with each llm agent call. Unset: costs are recorded as null.
   */
  @IsOptional()
  @IsString()
  LLM_PRICES?: string;

  /** HMAC-SHA256 key of the `x-baton-signature` header on task callbacks. */
  @IsOptional()
  @IsString()
  @MinLength(16)
  BATON_CALLBACK_SECRET?: string;

  /**
   * Lets callbacks reach loopback, private and link-local addresses. Off by
   * default: a tenant's callback_url must not probe the network Baton runs in.
   */
  // From the raw text: implicit conversion would read "false" as true.
  @Transform(({ obj, key }) => String(obj[key]).toLowerCase() === 'true')
  @IsBoolean()
  CALLBACK_ALLOW_PRIVATE_NETWORKS: boolean = false;

  /** First retry delay of a failed callback; it doubles up to CALLBACK_MAX_DELAY_MS. */
  @IntBetween(10, 3_600_000)
  CALLBACK_BACKOFF_MS: number = 1_000;

  @IntBetween(100, 86_400_000)
  CALLBACK_MAX_DELAY_MS: number = 600_000;

  /** After this many failed deliveries the callback is given up (status `failed`). */
  @IntBetween(1, 1000)
  CALLBACK_MAX_ATTEMPTS: number = 25;

  /** An instance whose last heartbeat is older than this is unhealthy. */
  @IntBetween(1_000, 3_600_000)
  AGENT_HEARTBEAT_TTL_MS: number = 15_000;

  /** How long a decommissioning agent's in-flight tasks may take before they are failed. */
  @IntBetween(0, 86_400_000)
  AGENT_DECOMMISSION_GRACE_MS: number = 30_000;

  /** How long agent-manager owns a task it executes itself (rules, http, llm) before another replica may. */
  @IntBetween(1_000, 3_600_000)
  AGENT_TASK_LEASE_MS: number = 60_000;

  /** Finished tasks (callback settled) older than this are deleted; default 30 days. */
  @IsInt()
  @Min(60_000)
  AGENT_TASK_RETENTION_MS: number = 30 * 24 * 3600 * 1000;

  /** How often old tasks and stats are pruned. */
  @IsInt()
  @Min(1_000)
  AGENT_PRUNE_INTERVAL_MS: number = 60_000;

  /** Time limit of an http or llm agent call when the task carries no deadline. */
  @IntBetween(100, 3_600_000)
  AGENT_CALL_TIMEOUT_MS: number = 60_000;

  @IsOptional()
  @IsString()
  AGENT_PROVISIONER_COMMANDS?: string;

  /** Namespaces `kubernetes` provisioners may deploy to, the first being the default; unset = off. */
  @IsOptional()
  @Matches(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(,[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/, {
    message: 'AGENT_KUBERNETES_NAMESPACES must be a comma-separated list of namespace names',
  })
  AGENT_KUBERNETES_NAMESPACES?: string;

  /** Kafka as the agents' pods reach it, when that differs from KAFKA_BROKERS (e.g. FQDNs). */
  @IsOptional()
  @Matches(/^[^\s,:]+:\d{1,5}(,[^\s,:]+:\d{1,5})*$/, {
    message: 'AGENT_KUBERNETES_KAFKA_BROKERS must be a comma-separated list of host:port',
  })
  AGENT_KUBERNETES_KAFKA_BROKERS?: string;

  /**
   * On a broker with SASL and ACLs: the directory of `<workspace>.password`
   * files (`npm run kafka:acls -- --worker <workspace>` writes them) from which
   * `process`-provisioned workers get their workspace's credential. Unset there:
   * such workers are not started.
   */
  @IsOptional()
  @IsString()
  AGENT_WORKER_KAFKA_CREDENTIALS_DIR?: string;

  /** Kubeconfig file(s) of the cluster; unset = ~/.kube/config, then the pod's service account. */
  @IsOptional()
  @IsString()
  KUBECONFIG?: string;
}

/**
 * Executables `process` provisioners may start (comma-separated, e.g.
 * /usr/bin/node). Empty by default: registering an agent must not be a way to
 * run commands on agent-manager's machine unless the operator says so.
 */
export function provisionerCommands(value: string | undefined): string[] {
  return commaList(value);
}

/** A comma-separated setting as its trimmed, non-empty entries. */
export function commaList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export interface CallbackSettings {
  secret: string;
  backoffMs: number;
  maxDelayMs: number;
  maxAttempts: number;
}

export function callbackSettings(env: AgentManagerEnv): CallbackSettings {
  return {
    secret: env.BATON_CALLBACK_SECRET ?? DEVELOPMENT_CALLBACK_SECRET,
    backoffMs: env.CALLBACK_BACKOFF_MS,
    maxDelayMs: env.CALLBACK_MAX_DELAY_MS,
    maxAttempts: env.CALLBACK_MAX_ATTEMPTS,
  };
}
