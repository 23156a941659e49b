import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every model call an llm agent makes, recorded once: a task redelivered
 * after a crash and a run's later steps reuse the answer instead of paying
 * for the call again (docs/agents-and-models.md, "Recorded model calls").
 */
export class LlmCalls1732435206000 implements MigrationInterface {
  name = 'LlmCalls1732435206000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE TABLE llm_calls (
         id uuid PRIMARY KEY,
         workspace_id text NOT NULL,
         task_id uuid NOT NULL,
         run_id uuid,
         step text,
         attempt int NOT NULL,
         agent text NOT NULL,
         agent_version int NOT NULL,
         round int NOT NULL,
         request_hash text NOT NULL,
         model text NOT NULL,
         request jsonb NOT NULL,
         response jsonb NOT NULL,
         prompt_tokens int,
         completion_tokens int,
         cost numeric(14, 6),
         latency_ms int NOT NULL,
         discarded boolean NOT NULL DEFAULT false,
         created_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    // The reuse look-up: one step of one run (or one task), one round, one request.
    await runner.query(
      `CREATE INDEX llm_calls_reuse ON llm_calls (workspace_id, run_id, step, round, request_hash)
         WHERE NOT discarded`,
    );
    await runner.query('CREATE INDEX llm_calls_task ON llm_calls (task_id, round)');
    await runner.query(
      'CREATE INDEX llm_calls_run ON llm_calls (workspace_id, run_id, created_at)',
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE llm_calls');
  }
}
