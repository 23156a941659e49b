import 'reflect-metadata';
import type { TenantCodeBudgets } from '@baton/tenant-code';
import { plainToInstance } from 'class-transformer';
import {
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  validateSync,
} from 'class-validator';
import {
  kafkaSecurityFrom,
  KafkaSecurityConfigError,
  SASL_MECHANISMS,
  type KafkaSecurity,
  type KafkaSecuritySettings,
} from '@baton/kafka';
import { IntBetween } from '@baton/contracts';

/** Settings every service reads; each service extends this class with its own. */
export class BaseEnv implements KafkaSecuritySettings {
  @IntBetween(1, 65535)
  PORT!: number;

  @Matches(/^[^\s,:]+:\d{1,5}(,[^\s,:]+:\d{1,5})*$/, {
    message: 'KAFKA_BROKERS must be a comma-separated list of host:port',
  })
  KAFKA_BROKERS: string = '127.0.0.1:19092';

  // Kafka TLS and SASL (libs/kafka/src/kafka-security.ts); unset: PLAINTEXT, no authentication.
  @IsOptional()
  @IsIn(['true', 'false'])
  KAFKA_TLS?: string;

  @IsOptional()
  @IsString()
  KAFKA_TLS_CA_FILE?: string;

  @IsOptional()
  @IsString()
  KAFKA_TLS_CERT_FILE?: string;

  @IsOptional()
  @IsString()
  KAFKA_TLS_KEY_FILE?: string;

  @IsOptional()
  @IsIn(['true', 'false'])
  KAFKA_TLS_REJECT_UNAUTHORIZED?: string;

  @IsOptional()
  @IsIn([...SASL_MECHANISMS])
  KAFKA_SASL_MECHANISM?: string;

  @IsOptional()
  @IsString()
  KAFKA_SASL_USERNAME?: string;

  @IsOptional()
  @IsString()
  KAFKA_SASL_PASSWORD?: string;

  @IsOptional()
  @IsString()
  KAFKA_SASL_PASSWORD_FILE?: string;

  @IsOptional()
  @IsString()
  KAFKA_SASL_OAUTHBEARER_TOKEN_FILE?: string;

  /** The kafkajs ssl/sasl options these settings make; checked (files read) by loadEnv. */
  kafkaSecurity!: KafkaSecurity;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  /**
   * Where /metrics is served: its own port, kept off the API port so nothing
   * a tenant can reach shows the platform's metrics. Unset: PORT + 6000; 0: no
   * metrics port (then only METRICS_TOKEN on PORT serves them).
   */
  @IsOptional()
  @IntBetween(0, 65535)
  METRICS_PORT?: number;

  /**
   * When set, /metrics answers only `Authorization: Bearer <METRICS_TOKEN>`,
   * on the metrics port and then also on PORT (for a scraper that reaches one port only).
   */
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'METRICS_TOKEN must be at least 16 characters' })
  @MaxLength(512)
  METRICS_TOKEN?: string;

  @IntBetween(100, 600_000)
  SHUTDOWN_TIMEOUT_MS: number = 10_000;

  @IsOptional()
  @IsString()
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;

  /** How often the service recreates topics it owns that the cluster lacks (TopicReconciler). */
  @IntBetween(1_000, 3_600_000)
  TOPIC_RECONCILE_INTERVAL_MS: number = 15_000;

  /** A consumer's handler running longer than this makes the service not ready. */
  @IntBetween(1_000, 3_600_000)
  READINESS_STALL_MS: number = 30_000;

  /** A command server handling requests older than this (the gateway gave up on them) is not ready. */
  @IntBetween(1_000, 3_600_000)
  READINESS_COMMANDS_BEHIND_MS: number = 15_000;

  /** Kafka sends failing for longer than this make the service not ready. */
  @IntBetween(1_000, 3_600_000)
  READINESS_DELIVERY_FAILING_MS: number = 15_000;
  /** A consumer's handler still running after this long is abandoned as a failed attempt; 0: never. */
  @IntBetween(0, 3_600_000)
  BATON_CONSUMER_HANDLER_TIMEOUT_MS: number = 60_000;

  /** Times the process may stop (or a handler time out) on one message before it is dead-lettered. */
  @IntBetween(1, 100)
  BATON_POISON_MAX_CRASHES: number = 3;

  // Budgets for tenant-written JSONata and regexes (@baton/tenant-code); every
  // service that evaluates them applies these at start. README: "Limits and
  // tenant-code budgets".

  /** Wall-clock time one evaluation may take; the event loop is held at most this long. */
  @IntBetween(10, 60_000)
  TENANT_CODE_TIME_MS: number = 1_000;

  @IntBetween(10, 5_000)
  TENANT_CODE_MAX_DEPTH: number = 500;

  /** Largest intermediate value, in characters of its JSON form. */
  @IntBetween(1_000, 100_000_000)
  TENANT_CODE_MAX_VALUE_SIZE: number = 5_000_000;

  @IntBetween(100, 10_000_000)
  TENANT_CODE_MAX_ARRAY_LENGTH: number = 100_000;
}

/** The tenant-code budgets an environment sets. */
export function tenantCodeBudgetsOf(env: BaseEnv): TenantCodeBudgets {
  return {
    timeMs: env.TENANT_CODE_TIME_MS,
    maxDepth: env.TENANT_CODE_MAX_DEPTH,
    maxValueSize: env.TENANT_CODE_MAX_VALUE_SIZE,
    maxArrayLength: env.TENANT_CODE_MAX_ARRAY_LENGTH,
  };
}

/** For services that own a Postgres schema. */
export class DatabaseEnv extends BaseEnv {
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL: string = 'postgres://postgres@127.0.0.1:5432/baton';

  @IntBetween(1, 100)
  DATABASE_POOL_SIZE: number = 10;

  /** How long outbox messages wait for a missing topic before they are answered as undeliverable. */
  @IntBetween(1_000, 86_400_000)
  OUTBOX_MISSING_TOPIC_GRACE_MS: number = 30_000;
}

type EnvClass<T> = new () => T;

/**
 * Reads and validates the environment once, before Nest starts. A bad value
 * stops the process with one line naming the variable, never a stack trace.
 */
export function loadEnv<T extends BaseEnv>(
  cls: EnvClass<T>,
  service: string,
  defaultPort: number,
): T {
  const defaults = new cls();
  const raw: Record<string, unknown> = { PORT: defaultPort };
  for (const [key, value] of Object.entries(defaults)) if (value !== undefined) raw[key] = value;
  for (const [key, value] of Object.entries(process.env)) if (value !== '') raw[key] = value;
  const env = plainToInstance(cls, raw, { enableImplicitConversion: true });
  const errors = validateSync(env, { skipMissingProperties: false });
  if (errors.length > 0) {
    const first = errors[0];
    const reason = (Object.values(first.constraints ?? {})[0] ?? 'is invalid').replace(
      new RegExp(`^${first.property} `),
      '',
    );
    const shown = /KEY|SECRET|PASSWORD|TOKEN/.test(first.property)
      ? ''
      : ` (got ${JSON.stringify(process.env[first.property])})`;
    exitWithConfigError(service, first.property, `${reason}${shown}`);
  }
  try {
    env.kafkaSecurity = kafkaSecurityFrom(env);
  } catch (error) {
    if (!(error instanceof KafkaSecurityConfigError)) throw error;
    // The reason names files and variables, never a password's value.
    exitWithConfigError(service, error.variable, error.reason);
  }
  return env;
}

/** A bad setting stops the service with one line naming the variable, never a stack trace. */
export function exitWithConfigError(service: string, variable: string, reason: string): never {
  process.stderr.write(`baton-${service}: invalid configuration: ${variable}: ${reason}\n`);
  process.exit(1);
}
