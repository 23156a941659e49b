import { BatonKafka, configureConsumers } from '@baton/kafka';
import { createLogger, LOGGER } from '@baton/telemetry';
import { Global, Module, type DynamicModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import type { Logger } from 'pino';
import { ConsumerContext } from './consumer-context';
import { BaseEnv } from './env';
import { HealthController } from './health.controller';
import { StatusReporter } from './status-reporter';
import { ConsumerLagMetrics } from './consumer-lag.metrics';
import { KafkaLifecycle } from './kafka-lifecycle';
import { LogShipper } from './log-shipper';
import { MetricsController } from './metrics.controller';
import { Readiness } from './readiness';
import { SERVICE_NAME } from './service-name';
import { TopicReconciler } from './topics/topic-reconciler';

export { SERVICE_NAME };

/**
 * What every Baton service has, wired the same way: validated config, the JSON
 * logger, Kafka, /health and /metrics. A service module imports this once.
 */
@Global()
@Module({})
export class ServiceKitModule {
  static forService(
    service: string,
    env: BaseEnv,
    logger: Logger = createLogger(service),
  ): DynamicModule {
    const envClasses = classesOf(env);
    return {
      module: ServiceKitModule,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: SERVICE_NAME, useValue: service },
        // The validated settings, typed: a class injects its service's own (GatewayEnv...),
        // a lib the one it needs (BaseEnv, EncryptedDatabaseEnv): the same object. There is no
        // ConfigService: settings are not looked up by name.
        ...envClasses.map((cls) => ({ provide: cls, useValue: env })),
        { provide: LOGGER, useValue: logger },
        {
          provide: BatonKafka,
          useFactory: () => {
            const kafka = new BatonKafka({
              brokers: env.KAFKA_BROKERS.split(','),
              clientId: `baton-${service}`,
              security: env.kafkaSecurity,
              log: (level, message, extra) => logger[level](extra, message),
            });
            configureConsumers(kafka, {
              handlerTimeoutMs: env.BATON_CONSUMER_HANDLER_TIMEOUT_MS,
              maxCrashes: env.BATON_POISON_MAX_CRASHES,
            });
            return kafka;
          },
        },
        {
          provide: Readiness,
          useFactory: () =>
            new Readiness({
              stallMs: env.READINESS_STALL_MS,
              behindMs: env.READINESS_COMMANDS_BEHIND_MS,
            }),
        },
        ConsumerContext,
        KafkaLifecycle,
        TopicReconciler,
        LogShipper,
        ConsumerLagMetrics,
        StatusReporter,
      ],
      exports: [
        SERVICE_NAME,
        LOGGER,
        BatonKafka,
        Readiness,
        ConsumerContext,
        TopicReconciler,
        ...envClasses,
      ],
    };
  }
}

type EnvClass = abstract new () => BaseEnv;

/** The env's class and every class it extends, down to BaseEnv: each is a token for the env. */
function classesOf(env: BaseEnv): EnvClass[] {
  const classes: EnvClass[] = [];
  let cls = env.constructor as EnvClass;
  while (cls !== BaseEnv) {
    classes.push(cls);
    cls = Object.getPrototypeOf(cls) as EnvClass;
  }
  return [...classes, BaseEnv];
}
