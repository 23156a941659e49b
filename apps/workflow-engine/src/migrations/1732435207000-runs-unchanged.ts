import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The check that makes a decision taken from the engine's cache safe to
 * write without a lock (ADR 0011): the decision's one statement updates only
 * the runs whose rows are still the version it started from, and this
 * function fails the whole statement, rolling back every part of it, when
 * fewer rows were updated than expected. SQLSTATE 40001 (serialization
 * failure) tells the engine to decide again on the locked path.
 */
export class RunsUnchanged1732435207000 implements MigrationInterface {
  name = 'RunsUnchanged1732435207000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE FUNCTION runs_unchanged(expected int, updated int) RETURNS boolean
      LANGUAGE plpgsql AS $$
      BEGIN
        IF updated < expected THEN
          RAISE EXCEPTION 'a run changed since the engine cached it (% of % unchanged)',
            updated, expected USING ERRCODE = 'serialization_failure';
        END IF;
        RETURN true;
      END $$`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP FUNCTION runs_unchanged(int, int)');
  }
}
