/** One result on baton.agent.results, as agent-manager keeps it for stats (a row of agent_results). */
export interface ResultStat {
  workspace: string;
  agent: string;
  taskId: string;
  attempt: number;
  status: string;
  errorType: string | null;
  durationMs: number | null;
  /** The result envelope's time (ISO 8601). */
  finishedAt: string;
}

/** The key of an agent_results row: a task's attempt has one result. */
export interface ResultKey {
  task_id: string;
  attempt: number;
}

/** Writes result rows; an abstract class so Nest can inject it and tests can fake it (AgentStatsRepository in the service). */
export abstract class ResultStatsWriter {
  /** Inserts the rows and returns the keys of those not already written (not redeliveries). */
  abstract insert(rows: readonly ResultStat[]): Promise<ResultKey[]>;
}
