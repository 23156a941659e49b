import {
  LOGGER,
  PinoNestLogger,
  createLogger,
  metricsRegistry,
  stopTracing,
} from '@baton/telemetry';
import { NestFactory } from '@nestjs/core';
import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Logger } from 'pino';
import { configureTenantCode } from '@baton/tenant-code';
import { keyringOrExit, type EncryptedDatabaseEnv } from './crypto/encryption-key';
import type { Keyring } from './crypto/keyring';
import { loadEnv, tenantCodeBudgetsOf, type BaseEnv } from './env';
import { metricsPortOf } from './metrics-access';
import { startMetricsServer } from './metrics-server';
import { ProblemFilter } from './problem.filter';

export interface BootstrapOptions {
  service: string;
  module: unknown;
  env: BaseEnv;
  logger: Logger;
  /** Extra HTTP setup (the gateway adds OpenAPI and body parsers here). */
  configure?: (app: NestExpressApplication) => void | Promise<void>;
  /** False when `configure` installs its own body parsers. */
  bodyParser?: boolean;
  /** PEM certificate and key: the service listens with HTTPS instead of HTTP. */
  https?: { cert: string; key: string };
}

/**
 * Starts a service the same way everywhere: JSON logs, problem+json errors,
 * /health and /metrics on PORT, and a SIGTERM shutdown bounded in time.
 */
export async function bootstrapService(options: BootstrapOptions): Promise<INestApplication> {
  const { service, env, logger } = options;
  metricsRegistry(service);
  const app = await NestFactory.create<NestExpressApplication>(options.module as never, {
    logger: new PinoNestLogger(logger),
    bufferLogs: false,
    bodyParser: options.bodyParser ?? true,
    httpsOptions: options.https,
  });
  app.useGlobalFilters(new ProblemFilter(app.get(LOGGER)));
  app.disable('x-powered-by');
  await options.configure?.(app);
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'shutting down');
      // Nest closes consumers, flushes the outbox and closes connections; if that
      // hangs, the process still ends within the configured time.
      setTimeout(() => {
        logger.error({ timeout_ms: env.SHUTDOWN_TIMEOUT_MS }, 'shutdown timed out; exiting');
        process.exit(1);
      }, env.SHUTDOWN_TIMEOUT_MS).unref();
    });
  }
  const host = process.env.BATON_BIND_HOST ?? '0.0.0.0';
  await app.listen(env.PORT, host);
  // Idle keep-alive connections live longer than any client's or load
  // balancer's (60 s is common): with Node's 5 s, a client whose event loop was
  // busy past it reused a socket the server had just closed ("other side
  // closed"), and the request failed without reaching Baton.
  const server = app.getHttpServer() as Server;
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  // /metrics on a port of its own (plain HTTP: scraped inside the cluster), never the API port.
  const metricsPort = metricsPortOf(env);
  const metricsServer =
    metricsPort === undefined
      ? undefined
      : await startMetricsServer(metricsPort, host, env.METRICS_TOKEN);
  logger.info(
    {
      port: env.PORT,
      protocol: options.https ? 'https' : 'http',
      metrics_port: metricsPort ?? null,
    },
    `baton-${service} started`,
  );
  const close = app.close.bind(app);
  app.close = async () => {
    await close();
    await new Promise<void>((resolve) =>
      metricsServer ? metricsServer.close(() => resolve()) : resolve(),
    );
    await stopTracing();
  };
  return app;
}

/** What a service's root module is built from: its name, validated env and logger. */
export interface ServiceContext<E extends BaseEnv = BaseEnv> {
  service: string;
  env: E;
  logger: Logger;
  /** Loads the encryption keyring (keyringOrExit), for a service that seals secrets. */
  keyring: () => Keyring;
}

export interface ServiceSpec<E extends BaseEnv> {
  service: string;
  defaultPort: number;
  env: new () => E;
  /** The root module for this configuration; may stop with exitWithConfigError. */
  module: (context: ServiceContext<E>) => unknown;
  /** Extra HTTP setup, given the validated environment (the gateway's body limits). */
  configure?: (app: NestExpressApplication, env: E) => void | Promise<void>;
  bodyParser?: boolean;
  /** Read after the env is valid; may stop with exitWithConfigError (a file that is not there). */
  https?: (env: E) => BootstrapOptions['https'];
}

/** The whole of a service's main.ts: validated config, the logger, then Nest. */
export function runService<E extends BaseEnv>(spec: ServiceSpec<E>): void {
  const env = loadEnv(spec.env, spec.service, spec.defaultPort);
  const https = spec.https?.(env);
  configureTenantCode(tenantCodeBudgetsOf(env));
  const logger = createLogger(spec.service, env.LOG_LEVEL);
  const keyring = (): Keyring =>
    keyringOrExit(spec.service, env as Partial<EncryptedDatabaseEnv>, logger);
  bootstrapService({
    service: spec.service,
    module: spec.module({ service: spec.service, env, logger, keyring }),
    env,
    logger,
    configure: spec.configure && ((app) => spec.configure?.(app, env)),
    bodyParser: spec.bodyParser,
    https,
  }).catch((error: Error) => {
    logger.fatal({ err: error }, 'failed to start');
    process.exit(1);
  });
}
