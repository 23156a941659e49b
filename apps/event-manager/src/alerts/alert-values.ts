import type { AgentFigures, ConnectionFigures } from '@baton/contracts';
import { formatDuration } from '@baton/workflow-dsl';
import { Injectable } from '@nestjs/common';
import { DeadLettersRepository } from '../dead-letters/dead-letters.repository';
import { ServiceStatusRepository } from '../platform-status/service-status.repository';
import { FiguresClient } from './figures.client';
import type { AlertRuleRow } from './alert-rule';
import { comparisons, type Comparison, type Condition } from './condition';
import { scopeKind, sourceOf } from './metric-scope';
import { WorkflowFiguresRepository, type WorkflowFigures } from './workflow-figures.repository';

/** What one rule's comparisons read, keyed like `error_rate[5m]`. */
export type RuleValues = Record<string, number | null>;

export function valueKey(comparison: Comparison, ruleWindowMs: number): string {
  return `${comparison.metric}[${formatDuration(comparison.windowMs ?? ruleWindowMs)}]`;
}

/** A parsed rule ready to evaluate. */
export interface CompiledRule {
  row: AlertRuleRow;
  condition: Condition;
}

/**
 * Fetches the figures a workspace's rules need, once per source and window
 * (one agent-manager and one integration-manager request per window, one
 * store query per window and workflow), and reads each rule's values out of
 * them. A source that cannot be asked makes its rules `undefined`: they keep
 * their state this round rather than resolve for want of data.
 */
@Injectable()
export class AlertValues {
  constructor(
    private readonly figures: FiguresClient,
    private readonly workflows: WorkflowFiguresRepository,
    private readonly deadLetters: DeadLettersRepository,
    private readonly services: ServiceStatusRepository,
  ) {}

  async forWorkspace(
    workspaceId: string,
    rules: CompiledRule[],
  ): Promise<Map<string, RuleValues | undefined>> {
    const once = memo();
    const scoped = (field: 'agent' | 'connection') => [
      ...new Set(rules.map((r) => r.row.scope?.[field]).filter((a): a is string => !!a)),
    ];
    const scopedAgents = scoped('agent');
    const scopedConnections = scoped('connection');
    // The broker is asked for task-topic lag only when some rule reads queue_lag.
    const needsQueueLag = rules.some((rule) =>
      comparisons(rule.condition).some((comparison) => comparison.metric === 'queue_lag'),
    );
    const agentSample = (windowMs: number) =>
      once(`agents ${windowMs}`, () =>
        this.figures.sample(workspaceId, windowMs, scopedAgents, needsQueueLag),
      );
    const connectionSample = (windowMs: number) =>
      once(`connections ${windowMs}`, () =>
        this.figures.connectionSample(workspaceId, windowMs, scopedConnections),
      );
    const result = new Map<string, RuleValues | undefined>();
    for (const rule of rules) {
      const ruleWindow = Number(rule.row.window_ms);
      const kind = scopeKind(rule.row.scope);
      const scope = rule.row.scope;
      const values: RuleValues = {};
      try {
        for (const comparison of comparisons(rule.condition)) {
          const windowMs = comparison.windowMs ?? ruleWindow;
          let value: number | null = null;
          switch (sourceOf(comparison.metric, kind)) {
            case 'agents': {
              const sample = await agentSample(windowMs);
              const figures = kind === 'agent' ? sample.agents[scope!.agent!] : sample.workspace;
              value = figures ? agentValue(comparison, figures) : null;
              break;
            }
            case 'connections': {
              const figures = (await connectionSample(windowMs)).connections[scope!.connection!];
              value = figures ? connectionValue(comparison, figures) : null;
              break;
            }
            case 'agents-and-connections': {
              // breaker_open of a workspace: its agents' and its connections' open breakers.
              const [agents, connections] = await Promise.all([
                agentSample(windowMs),
                connectionSample(windowMs),
              ]);
              value = agents.workspace.breakers_open + connections.breakers_open;
              break;
            }
            case 'workflows': {
              const workflow = scope?.workflow ?? null;
              const figures = await once(`runs ${windowMs} ${workflow ?? ''}`, () =>
                this.workflows.runs(workspaceId, windowMs, workflow),
              );
              value = runValue(comparison, figures);
              break;
            }
            case 'dead-letters': {
              const platform = kind === 'platform';
              value = await once(`dead ${windowMs} ${platform}`, () =>
                this.deadLetters.count(platform ? null : workspaceId, windowMs),
              );
              break;
            }
            case 'services': {
              const figures = await once('services', () => this.services.figures());
              value =
                comparison.metric === 'services_not_ready'
                  ? figures.not_ready.length
                  : figures.max_consumer_lag;
              break;
            }
            case 'budgets': {
              // The budgets' own periods (UTC day and month): the rule's window does not apply.
              const usage = await once('budgets', () =>
                this.figures.budgetUsage(workspaceId, scopedAgents),
              );
              value = kind === 'agent' ? (usage.agents[scope!.agent!] ?? null) : usage.workspace;
              break;
            }
            default:
              value = null;
          }
          values[valueKey(comparison, ruleWindow)] = value;
        }
        result.set(rule.row.id, values);
      } catch {
        result.set(rule.row.id, undefined);
      }
    }
    return result;
  }
}

/** Each figure fetched once per round, however many rules read it. */
function memo() {
  const cache = new Map<string, Promise<unknown>>();
  return <T>(key: string, fetch: () => Promise<T>): Promise<T> => {
    if (!cache.has(key)) cache.set(key, fetch());
    return cache.get(key) as Promise<T>;
  };
}

function connectionValue(comparison: Comparison, figures: ConnectionFigures): number | null {
  const finished = figures.ok + figures.failed;
  switch (comparison.metric) {
    case 'error_rate':
      return finished === 0 ? null : figures.failed / finished;
    case 'success_rate':
      return finished === 0 ? null : figures.ok / finished;
    case 'p95_latency_ms':
      return figures.p95_ms;
    case 'breaker_open':
      return figures.breaker_open;
    default:
      return null;
  }
}

function agentValue(comparison: Comparison, figures: AgentFigures): number | null {
  const finished = figures.completed + figures.failed;
  switch (comparison.metric) {
    case 'error_rate':
      return finished === 0 ? null : figures.failed / finished;
    case 'success_rate':
      return finished === 0 ? null : figures.completed / finished;
    case 'p95_latency_ms':
      return figures.p95_ms;
    case 'queue_lag':
      return figures.queue_lag ?? null;
    case 'breaker_open':
      return figures.breakers_open;
    default:
      return null;
  }
}

function runValue(comparison: Comparison, figures: WorkflowFigures): number | null {
  const finished = figures.runs_completed + figures.runs_failed;
  switch (comparison.metric) {
    case 'error_rate':
      return finished === 0 ? null : figures.runs_failed / finished;
    case 'success_rate':
      return finished === 0 ? null : figures.runs_completed / finished;
    case 'p95_latency_ms':
      return figures.run_p95_ms;
    case 'runs_failed':
      return figures.runs_failed;
    default:
      return null;
  }
}
