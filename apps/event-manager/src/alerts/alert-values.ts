import type { AgentFigures, AgentMetricsSample } from '@baton/contracts';
import { formatDuration } from '@baton/workflow-dsl';
import { Injectable } from '@nestjs/common';
import { AgentFiguresClient } from './agent-figures.client';
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
 * (one agent-manager request per window, one store query per window and
 * workflow), and reads each rule's values out of them. A source that cannot
 * be asked makes its rules `undefined`: they keep their state this round
 * rather than resolve for want of data.
 */
@Injectable()
export class AlertValues {
  constructor(
    private readonly agents: AgentFiguresClient,
    private readonly workflows: WorkflowFiguresRepository,
  ) {}

  async forWorkspace(
    workspaceId: string,
    rules: CompiledRule[],
  ): Promise<Map<string, RuleValues | undefined>> {
    const agentSamples = new Map<number, Promise<AgentMetricsSample>>();
    const runFigures = new Map<string, Promise<WorkflowFigures>>();
    const deadLetters = new Map<number, Promise<number>>();
    const scopedAgents = [
      ...new Set(rules.map((r) => r.row.scope?.agent).filter((a): a is string => !!a)),
    ];
    const result = new Map<string, RuleValues | undefined>();
    for (const rule of rules) {
      const ruleWindow = Number(rule.row.window_ms);
      const kind = scopeKind(rule.row.scope);
      const values: RuleValues = {};
      try {
        for (const comparison of comparisons(rule.condition)) {
          const windowMs = comparison.windowMs ?? ruleWindow;
          const source = sourceOf(comparison.metric, kind);
          let value: number | null = null;
          if (source === 'agents') {
            if (!agentSamples.has(windowMs))
              agentSamples.set(windowMs, this.agents.sample(workspaceId, windowMs, scopedAgents));
            const sample = await agentSamples.get(windowMs)!;
            const figures =
              kind === 'agent' ? sample.agents[rule.row.scope!.agent!] : sample.workspace;
            value = figures ? agentValue(comparison, figures) : null;
          } else if (source === 'workflows') {
            const workflow = rule.row.scope?.workflow ?? null;
            const key = `${windowMs}\n${workflow ?? ''}`;
            if (!runFigures.has(key))
              runFigures.set(key, this.workflows.runs(workspaceId, windowMs, workflow));
            value = runValue(comparison, await runFigures.get(key)!);
          } else if (source === 'dead-letters') {
            if (!deadLetters.has(windowMs))
              deadLetters.set(windowMs, this.workflows.deadLetters(workspaceId, windowMs));
            value = await deadLetters.get(windowMs)!;
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
      return figures.in_flight;
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
