import { PLATFORM_SERVICES, type PlatformStatusMessage } from '@baton/contracts';
import { STATUS_INTERVAL_MS } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** A replica that missed three reports is gone. */
export const LIVE_MS = 3 * STATUS_INTERVAL_MS;

export interface ServiceStatusFigures {
  /** Services (of the six) with no live replica reporting ready. */
  not_ready: string[];
  /** The largest lag of one consumer group on one topic, across live replicas. */
  max_consumer_lag: number;
}

/** service_status: the latest report of each service replica (baton.platform.status). */
@Injectable()
export class ServiceStatusRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async record(report: PlatformStatusMessage, reportedAt: Date): Promise<void> {
    const maxLag = Math.max(0, ...report.consumer_lag.map((l) => l.messages));
    // A report older than the stored one (redelivered) changes nothing.
    await this.dataSource.query(
      `INSERT INTO service_status (service, instance, ready, failing, consumer_lag, max_lag, reported_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (service, instance) DO UPDATE
         SET ready = EXCLUDED.ready, failing = EXCLUDED.failing,
             consumer_lag = EXCLUDED.consumer_lag, max_lag = EXCLUDED.max_lag,
             reported_at = EXCLUDED.reported_at
       WHERE service_status.reported_at <= EXCLUDED.reported_at`,
      [
        report.service,
        report.instance,
        report.ready,
        JSON.stringify(report.failing),
        JSON.stringify(report.consumer_lag),
        maxLag,
        reportedAt,
      ],
    );
  }

  async figures(): Promise<ServiceStatusFigures> {
    const rows = (await this.dataSource.query(
      `SELECT service, bool_or(ready) AS ready, max(max_lag)::bigint AS max_lag FROM service_status
        WHERE reported_at > now() - $1 * interval '1 millisecond'
        GROUP BY service`,
      [LIVE_MS],
    )) as { service: string; ready: boolean; max_lag: string }[];
    const ready = new Set(rows.filter((r) => r.ready).map((r) => r.service));
    return {
      not_ready: PLATFORM_SERVICES.filter((service) => !ready.has(service)),
      max_consumer_lag: rows.reduce((max, r) => Math.max(max, Number(r.max_lag)), 0),
    };
  }

  /** Replicas gone for a day are forgotten. */
  async prune(): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM service_status WHERE reported_at < now() - interval '1 day'`,
    );
  }
}
