import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The W3C trace context a run began in: GET /v1/runs/{id} answers its trace
 * id, so users and the console can open the run's trace in their tracing
 * tool (ADR 0023). Null for runs from before, and for runs nobody traced.
 */
export class RunTrace1732435225000 implements MigrationInterface {
  name = 'RunTrace1732435225000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE runs ADD COLUMN IF NOT EXISTS traceparent text');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE runs DROP COLUMN IF EXISTS traceparent');
  }
}
