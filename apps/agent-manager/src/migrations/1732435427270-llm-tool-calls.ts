import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every MCP tool call an llm agent makes (`tools: [mcp:<connection>/<tool>]`),
 * recorded like its model calls: a retried step, a task run again after a
 * crash and a replayed run take the recorded answer instead of calling the
 * tool again (ADR 0040).
 */
export class LlmToolCalls1732435427270 implements MigrationInterface {
  name = 'LlmToolCalls1732435427270';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE TABLE llm_tool_calls (
         id uuid PRIMARY KEY,
         workspace_id text NOT NULL,
         task_id uuid NOT NULL,
         run_id uuid,
         step text,
         attempt int NOT NULL,
         agent text NOT NULL,
         agent_version int NOT NULL,
         round int NOT NULL,
         call_index int NOT NULL,
         tool text NOT NULL,
         request_hash text NOT NULL,
         arguments jsonb NOT NULL,
         result jsonb NOT NULL,
         latency_ms int NOT NULL,
         discarded boolean NOT NULL DEFAULT false,
         created_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    await runner.query(
      `CREATE INDEX llm_tool_calls_reuse
         ON llm_tool_calls (workspace_id, run_id, step, round, call_index, request_hash)
         WHERE NOT discarded`,
    );
    await runner.query('CREATE INDEX llm_tool_calls_task ON llm_tool_calls (task_id, round)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE llm_tool_calls');
  }
}
