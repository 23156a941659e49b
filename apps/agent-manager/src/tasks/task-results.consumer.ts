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
import { AgentsRepository } from '../agent-model/agents.repository';
import { ResultStatsBuffer } from '../stats/result-stats.buffer';
import type { ResultStat } from '../stats/result-stats.writer';
import { FinishTaskUseCase } from '../task-outcomes/finish-task.usecase';
import { JsonSchemas } from '../agent-model/json-schemas';
import type { TaskEntity } from '../task-model/task.entity';
import { TasksRepository, type TaskOutcome } from '../task-model/tasks.repository';

/** How long, and for how many bytes, the workflow-results fetch waits (see the class comment). */
const STATS_GATHER_MS = 250;
const STATS_GATHER_BYTES = 256 * 1024;

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

/**
 * Reads every result on baton.agent.results with a group of its own (the
 * workflow engine reads them with another): finishes the invoke and submit
 * tasks sent to worker agents, after checking their output against the
 * agent's output_schema, and records every result for stats and metrics.
 *
 * Results of workflow steps come on baton.workflow.results, which the
 * engine's tasks name. They finish nothing here and only feed the stats, so
 * a second consumer reads them in gathered fetches, a few times a second,
 * instead of waking this service at every step of every run.
 *
 * Tasks are finished at once, batch by batch: invoke and submit callers wait
 * on them. The stats rows go to ResultStatsBuffer, which writes them (and then counts the
 * new ones in metrics and breakers) late by up to 250 ms, in one insert for
 * many batches, and a crash may lose the rows still buffered (at most 250 ms
 * of them): the stats are derived data, not worth a Postgres write at the
 * critical moment of each workflow step, when the workflow engine commits the
 * same result on the same few cores.
 */
@Injectable()
export class TaskResultsConsumer implements OnModuleInit, OnModuleDestroy {
  private readonly consumer: MessageConsumer;
  private readonly workflowResults: MessageConsumer;

  constructor(
    @Inject(BatonKafka) kafka: BatonKafka,
    @Inject(Readiness) private readonly readiness: Readiness,
    private readonly tasks: TasksRepository,
    private readonly agents: AgentsRepository,
    private readonly finish: FinishTaskUseCase,
    private readonly schemas: JsonSchemas,
    private readonly stats: ResultStatsBuffer,
  ) {
    // Both read results the same way; only how soon the broker answers differs.
    const reading = {
      dlqTopic: Topics.dlq('agent-manager'),
      // Results from before agent-manager's first start concern no task it sent.
      fromBeginning: false,
      decode: lenientDecode,
      handleBatch: (messages: ConsumedMessage[]) => this.apply(messages),
    };
    this.consumer = new MessageConsumer(kafka, {
      ...reading,
      groupId: 'baton-agent-manager-results',
      topics: [Topics.agentResults],
      partitionsConsumedConcurrently: 3,
    });
    this.workflowResults = new MessageConsumer(kafka, {
      ...reading,
      groupId: 'baton-agent-manager-workflow-results',
      topics: [Topics.workflowResults],
      // The broker answers when STATS_GATHER_BYTES are there or after STATS_GATHER_MS:
      // as late as ResultStatsBuffer writes anyway.
      minBytes: STATS_GATHER_BYTES,
      maxWaitTimeInMs: STATS_GATHER_MS,
    });
  }

  async onModuleInit(): Promise<void> {
    this.readiness.registerConsumer('task-results', this.consumer);
    this.readiness.registerConsumer('workflow-results', this.workflowResults);
    await Promise.all([this.consumer.start(), this.workflowResults.start()]);
  }

  /** ResultStatsBuffer writes what is left after this (beforeApplicationShutdown). */
  async onModuleDestroy(): Promise<void> {
    await Promise.all([this.consumer.stop(), this.workflowResults.stop()]);
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
    // A result that names its run answers a workflow step, never an invoke or a submit
    // of ours: only the others are looked up, which keeps this service off Postgres at
    // the instant the engine commits each step.
    const candidates = new Set(parsed.filter((p) => !p.result.run_id).map((p) => p.result.task_id));
    const ours = new Map(
      (candidates.size > 0 ? await this.tasks.runningWorkerTasks([...candidates]) : []).map(
        (task) => [task.id, task],
      ),
    );
    // The batch's tasks are finished side by side: each is its own row and transaction, and an
    // invoke waiting on the last of a batch should not wait for the commits of those before it.
    // The connection pool bounds how many run at once. (Two results for one task race on the
    // row: finishing is conditional, so one of them wins and the other changes nothing.)
    const outcomes = await Promise.all(
      parsed.map(async ({ result }) => {
        const task = ours.get(result.task_id);
        if (!task || task.attempt !== result.attempt) return undefined;
        const outcome = await this.outcomeOf(task, result);
        await this.finish.execute(task, outcome, { publishResult: false });
        return outcome;
      }),
    );
    const seen: ResultStat[] = [];
    for (const [index, { message, result }] of parsed.entries()) {
      const task = ours.get(result.task_id);
      const outcome: TaskOutcome | undefined = outcomes[index];
      const source = message.envelope.source;
      const agent = source.startsWith('agent/') ? source.slice('agent/'.length) : task?.agent;
      if (!agent) continue;
      seen.push({
        workspace: message.envelope.workspaceid,
        agent,
        taskId: result.task_id,
        attempt: result.attempt,
        status: outcome?.status ?? result.status,
        errorType: outcome?.error?.type ?? result.error?.type ?? null,
        durationMs: result.duration_ms ?? null,
        finishedAt: message.envelope.time,
      });
    }
    // Not awaited, not per batch: written late by up to 250 ms (see the class comment).
    this.stats.add(seen);
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
}
