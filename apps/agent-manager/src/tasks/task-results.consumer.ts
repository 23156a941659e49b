import { TaskResultMessage, Topics, validateInto } from '@baton/contracts';
import {
  BatonKafka,
  decodeJsonEnvelope,
  MessageConsumer,
  type ConsumedMessage,
} from '@baton/kafka';
import type { Envelope } from '@baton/contracts';
import { Readiness } from '@baton/service-kit';
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AgentsRepository } from '../agents/agents.repository';
import { CircuitBreakers } from '../runtimes/circuit-breakers';
import { AgentMetrics } from '../stats/agent-metrics';
import { FinishTaskUseCase } from './finish-task.usecase';
import { JsonSchemas } from './json-schemas';
import type { TaskEntity } from './task.entity';
import { TasksRepository, type TaskOutcome } from './tasks.repository';

/** Marks a message this consumer cannot read; it skips it instead of dead-lettering it. */
const UNREADABLE = 'baton.agent-manager.unreadable';

/**
 * The workflow engine already dead-letters unreadable results with their
 * reason; a second copy from agent-manager would only be noise.
 */
function lenientDecode(...args: Parameters<typeof decodeJsonEnvelope>): Envelope {
  try {
    return decodeJsonEnvelope(...args);
  } catch {
    return {
      specversion: '1.0',
      id: UNREADABLE,
      type: UNREADABLE,
      source: UNREADABLE,
      time: new Date().toISOString(),
      datacontenttype: 'application/json',
      data: null,
      workspaceid: 'system',
      correlationid: UNREADABLE,
    };
  }
}

interface Seen {
  workspace: string;
  agent: string;
  result: TaskResultMessage;
  time: string;
  status: string;
  errorType: string | null;
}

/**
 * Reads every result on baton.agent.results with a group of its own (the
 * workflow engine reads them with another): finishes the invoke and submit
 * tasks sent to worker agents, after checking their output against the
 * agent's output_schema, and records every result for stats and metrics.
 */
@Injectable()
export class TaskResultsConsumer implements OnModuleInit, OnModuleDestroy {
  private readonly consumer: MessageConsumer;

  constructor(
    @Inject(BatonKafka) kafka: BatonKafka,
    @Inject(Readiness) private readonly readiness: Readiness,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tasks: TasksRepository,
    private readonly agents: AgentsRepository,
    private readonly finish: FinishTaskUseCase,
    private readonly schemas: JsonSchemas,
    private readonly metrics: AgentMetrics,
    private readonly breakers: CircuitBreakers,
  ) {
    this.consumer = new MessageConsumer(kafka, {
      groupId: 'baton-agent-manager-results',
      topics: [Topics.agentResults],
      dlqTopic: Topics.dlq('agent-manager'),
      partitionsConsumedConcurrently: 3,
      // Results from before agent-manager's first start concern no task it sent.
      fromBeginning: false,
      decode: lenientDecode,
      handleBatch: (messages) => this.apply(messages),
    });
  }

  async onModuleInit(): Promise<void> {
    this.readiness.register('task-results', () => this.consumer.isJoined);
    await this.consumer.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.consumer.stop();
  }

  private async apply(messages: ConsumedMessage[]): Promise<void> {
    const parsed: { message: ConsumedMessage; result: TaskResultMessage }[] = [];
    for (const message of messages) {
      if (message.envelope.type === UNREADABLE) continue;
      try {
        parsed.push({
          message,
          result: validateInto(TaskResultMessage, message.envelope.data, 'result'),
        });
      } catch {
        // Not a result this service can read; the workflow engine dead-letters it with the reason.
      }
    }
    const ours = new Map(
      (await this.tasks.runningWorkerTasks([...new Set(parsed.map((p) => p.result.task_id))])).map(
        (task) => [task.id, task],
      ),
    );
    const seen: Seen[] = [];
    for (const { message, result } of parsed) {
      const task = ours.get(result.task_id);
      let outcome: TaskOutcome | undefined;
      if (task && task.attempt === result.attempt) {
        outcome = await this.outcomeOf(task, result);
        await this.finish.execute(task, outcome, { publishResult: false });
      }
      const source = message.envelope.source;
      const agent = source.startsWith('agent/') ? source.slice('agent/'.length) : task?.agent;
      if (!agent) continue;
      seen.push({
        workspace: message.envelope.workspaceid,
        agent,
        result,
        time: message.envelope.time,
        status: outcome?.status ?? result.status,
        errorType: outcome?.error?.type ?? result.error?.type ?? null,
      });
    }
    await this.record(seen);
  }

  private async outcomeOf(task: TaskEntity, result: TaskResultMessage): Promise<TaskOutcome> {
    const durationMs = result.duration_ms;
    if (result.status === 'failed') {
      return {
        status: 'failed',
        error: result.error ?? { type: 'system_error', message: 'the agent reported a failure' },
        durationMs,
      };
    }
    const agent = await this.agents.snapshot(task.workspaceId, task.agent, task.agentVersion);
    const problem = agent
      ? this.schemas.outputProblem(
          `${task.workspaceId}/${task.agent}/${task.agentVersion}`,
          agent.outputSchema,
          result.output,
        )
      : null;
    if (problem)
      return {
        status: 'failed',
        error: { type: 'validation_error', message: problem },
        durationMs,
      };
    return { status: 'completed', output: result.output ?? null, durationMs };
  }

  /** One insert per batch; metrics and breakers count only rows not seen before (redeliveries). */
  private async record(seen: Seen[]): Promise<void> {
    if (seen.length === 0) return;
    const rows = (await this.dataSource.query(
      `INSERT INTO agent_results (workspace_id, agent, task_id, attempt, status, error_type, duration_ms, finished_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[], $4::int[], $5::text[], $6::text[], $7::int[], $8::timestamptz[])
       ON CONFLICT (task_id, attempt) DO NOTHING RETURNING task_id, attempt`,
      [
        seen.map((s) => s.workspace),
        seen.map((s) => s.agent),
        seen.map((s) => s.result.task_id),
        seen.map((s) => s.result.attempt),
        seen.map((s) => s.status),
        seen.map((s) => s.errorType),
        seen.map((s) => s.result.duration_ms ?? null),
        seen.map((s) => s.time),
      ],
    )) as { task_id: string; attempt: number }[];
    const fresh = new Set(rows.map((r) => `${r.task_id}/${r.attempt}`));
    for (const s of seen) {
      if (!fresh.has(`${s.result.task_id}/${s.result.attempt}`)) continue;
      this.metrics.record(s.workspace, s.agent, s.status, s.result.duration_ms ?? null);
      const tripping = s.errorType === 'system_error' || s.errorType === 'timeout';
      if (s.status === 'completed') this.breakers.record(s.workspace, s.agent, 'success');
      else if (tripping) this.breakers.record(s.workspace, s.agent, 'failure');
    }
  }
}
