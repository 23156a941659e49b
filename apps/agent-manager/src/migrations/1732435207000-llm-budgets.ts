import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A workspace's token and cost budgets for its llm agents, and the index that sums their spend. */
export class LlmBudgets1732435207000 implements MigrationInterface {
  name = 'LlmBudgets1732435207000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE TABLE llm_budgets (
         workspace_id text PRIMARY KEY,
         limits jsonb NOT NULL,
         updated_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    await runner.query(
      'CREATE INDEX llm_calls_spend ON llm_calls (workspace_id, agent, created_at)',
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX llm_calls_spend');
    await runner.query('DROP TABLE llm_budgets');
  }
}
