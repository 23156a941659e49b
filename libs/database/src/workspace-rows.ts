import type { DataSource } from 'typeorm';

/** A table of a service's schema that holds rows of workspaces. */
export interface WorkspaceTable {
  table: string;
  /**
   * Which rows are the workspace's, as a condition on the table aliased `t`
   * with the workspace id as $1; by default `t.workspace_id = $1`. For a
   * table without the column, a condition through its parent.
   */
  where?: string;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
export const PURGE_BATCH_ROWS = 1_000;

/**
 * Deletes every row of a workspace from these tables, in this order
 * (children before parents), `batchRows` rows per statement so no statement
 * holds many locks or runs long. Each batch commits on its own: run again
 * after a crash, it goes on where it stopped and ends with nothing to do.
 * Answers how many rows went per table.
 */
export async function deleteWorkspaceRows(
  dataSource: DataSource,
  tables: readonly WorkspaceTable[],
  workspaceId: string,
  batchRows = PURGE_BATCH_ROWS,
): Promise<Record<string, number>> {
  const deleted: Record<string, number> = {};
  for (const { table, where } of tables) {
    if (!IDENTIFIER.test(table)) throw new Error(`not a table name: ${table}`);
    const condition = where ?? 't.workspace_id = $1';
    deleted[table] = 0;
    for (;;) {
      const [, count] = (await dataSource.query(
        `DELETE FROM ${table} WHERE ctid = ANY(ARRAY(
           SELECT t.ctid FROM ${table} t WHERE ${condition} LIMIT $2))`,
        [workspaceId, batchRows],
      )) as [unknown, number];
      deleted[table] += count;
      if (count < batchRows) break;
    }
  }
  return deleted;
}
