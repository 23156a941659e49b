import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** The Kafka topics that subscriptions and routes name as destinations. */
@Injectable()
export class DestinationTopicsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Every distinct topic a subscription or a route of any workspace delivers to. */
  async topics(): Promise<string[]> {
    const rows = (await this.dataSource.query(
      `SELECT destination->>'topic' AS topic FROM subscriptions WHERE destination->>'kind' = 'topic'
       UNION
       SELECT d->>'topic' FROM routes, jsonb_array_elements(destinations) d WHERE d->>'kind' = 'topic'`,
    )) as { topic: string | null }[];
    return rows
      .map((row) => row.topic)
      .filter((topic): topic is string => typeof topic === 'string');
  }
}
