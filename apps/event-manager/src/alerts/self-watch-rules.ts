import { parseDuration } from '@baton/workflow-dsl';
import { LOGGER } from '@baton/telemetry';
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { EventManagerEnv } from '../event-manager.env';
import { ADMIN_CHANNELS } from '../notifications/channels.repository';
import { DEFAULT_WINDOW } from './alert-rule';
import { AlertsRepository, type RuleFields } from './alerts.repository';

export interface SelfWatchRule {
  name: string;
  condition: string;
  for: string;
  severity: 'warning' | 'critical';
  description: string;
  /** The rule of deploy/observability/prometheus/alerts.yml that watches the same thing. */
  prometheus: string;
}

/**
 * The platform's own rules (docs/alerts.md, "Baton watching itself"), the
 * same conditions as deploy/observability/prometheus/alerts.yml (a unit test
 * keeps them alike), read from what Baton keeps itself: the dead-letter
 * topics and every replica's status reports.
 */
export const SELF_WATCH_RULES: readonly SelfWatchRule[] = [
  {
    name: 'baton-dead-letters-growing',
    condition: 'dead_letters[10m] > 0',
    for: '5m',
    severity: 'warning',
    description:
      'Messages were dead-lettered (baton.dlq.*: each carries its reason in its headers), or deliveries or notifications were given up on.',
    prometheus: 'BatonDeadLettersGrowing',
  },
  {
    name: 'baton-consumer-lag-growing',
    condition: 'consumer_lag > 100',
    for: '10m',
    severity: 'warning',
    description:
      "A service's consumer group has stayed more than 100 messages behind on a topic for 10 minutes.",
    prometheus: 'BatonConsumerLagGrowing',
  },
  {
    name: 'baton-service-not-ready',
    condition: 'services_not_ready > 0',
    for: '2m',
    severity: 'critical',
    description:
      'A service has no replica reporting ready (a readiness check fails, or it stopped reporting). GET /v1/logs?scope=platform&level=warn says why.',
    prometheus: 'BatonServiceNotReady',
  },
];

/**
 * Creates the self-watch rules in the platform workspace at start, once:
 * a rule that exists (created by another replica or an earlier start, or
 * changed by an operator) is left as it is, and one an operator deleted
 * comes back at the next start. They notify the workspace's admin channels
 * (`admin`), none until one is made.
 */
@Injectable()
export class SelfWatchRules implements OnApplicationBootstrap {
  constructor(
    private readonly rules: AlertsRepository,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly env: EventManagerEnv,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const workspace = this.env.ALERT_PLATFORM_WORKSPACE;
    try {
      let created = 0;
      for (const rule of SELF_WATCH_RULES) {
        if (
          await this.rules.insert(
            this.dataSource.manager,
            randomUUID(),
            workspace,
            rule.name,
            fieldsOf(rule),
          )
        )
          created++;
      }
      if (created > 0) this.logger.info({ workspace, created }, 'self-watch alert rules created');
    } catch (err) {
      // The service still starts; the next start tries again.
      this.logger.warn({ err, workspace }, 'self-watch alert rules could not be created');
    }
  }
}

export function fieldsOf(rule: SelfWatchRule): RuleFields {
  return {
    condition: rule.condition,
    notification_channels: [ADMIN_CHANNELS],
    severity: rule.severity,
    for_text: rule.for,
    for_ms: parseDuration(rule.for),
    window_text: DEFAULT_WINDOW,
    window_ms: parseDuration(DEFAULT_WINDOW),
    scope: { platform: true },
    description: rule.description,
  };
}
