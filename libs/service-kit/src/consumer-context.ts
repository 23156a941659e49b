import { BatonKafka } from '@baton/kafka';
import { LOGGER } from '@baton/telemetry';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { Readiness } from './readiness';
import { SERVICE_NAME } from './service-name';

/**
 * What every TopicConsumer of a service is given, in one parameter: Kafka,
 * the readiness it counts in, the logger, and the service's name (its
 * consumer groups are `baton-<service>-<group>`, its dead letters go to the
 * service's own DLQ topic).
 */
@Injectable()
export class ConsumerContext {
  constructor(
    @Inject(BatonKafka) readonly kafka: BatonKafka,
    @Inject(Readiness) readonly readiness: Readiness,
    @Inject(LOGGER) readonly logger: Logger,
    @Inject(SERVICE_NAME) readonly service: string,
  ) {}
}
