import { AgentWorker, BatonApiError, type OrchestratePlatform } from '@baton/sdk';
import { api, platformState } from '../e2e/support/platform';
import { WebhookReceiver } from '../e2e/support/webhook-receiver';

/** One agent task as the worker saw it: the unit the dispatch check counts. */
export interface Dispatch {
  runId: string;
  step: string;
  taskId: string;
  attempt: number;
  messageId: string;
}

/**
 * Every step of a phase's workflow, and how many attempts its retry policy asks
 * for when nothing goes wrong: `flaky` fails its first attempt on purpose, so each
 * run also has a backoff timer in Postgres while the fault strikes.
 */
export const EXPECTED_ATTEMPTS: Record<string, number> = { first: 1, flaky: 2, last: 1 };

/** The work of one phase: its own workflow, connection and subscription, so checks never mix phases. */
export interface Phase {
  name: string;
  workflow: string;
  subscriptionId: string;
  startedAt: Date;
  /** run id -> the key its input carried, which the connector's receiver sees in the body */
  runs: Map<string, string>;
}

/**
 * Builds and starts the work in flight that every fault strikes: runs whose
 * steps are agent tasks (served here by an SDK worker), a retry backoff timer,
 * a connector action (send-message through a webhook connection to a local
 * receiver) and a subscription delivery (a webhook subscription on the run's
 * completion event).
 */
export class Workload {
  readonly agent: string;
  /** Every task the worker received, redeliveries included. */
  readonly dispatches: Dispatch[] = [];
  readonly connectorInbox = new WebhookReceiver();
  readonly subscriptionInbox = new WebhookReceiver();
  private worker?: AgentWorker;
  private connectorUrl = '';
  private subscriptionUrl = '';

  constructor(
    private readonly orchestrate: OrchestratePlatform,
    private readonly suffix: string,
  ) {
    this.agent = `fault-agent-${suffix}`;
  }

  async start(): Promise<void> {
    this.connectorUrl = await this.connectorInbox.start();
    this.subscriptionUrl = await this.subscriptionInbox.start();
    await this.orchestrate.registerAgent({ name: this.agent, type: 'worker', max_instances: 3 });
    this.worker = new AgentWorker({
      agent: this.agent,
      brokers: platformState().kafkaBrokers.split(','),
      concurrency: 50,
      handler: async (input, task) => {
        this.dispatches.push({
          runId: task.runId ?? '',
          step: task.step ?? '',
          taskId: task.taskId,
          attempt: task.attempt,
          messageId: task.messageId,
        });
        if (task.step === 'flaky' && task.attempt === 1) {
          throw new Error('the first attempt fails on purpose: the retry waits on a timer');
        }
        return input;
      },
    });
    await this.worker.start();
  }

  async stop(): Promise<void> {
    await this.worker?.stop();
    await this.connectorInbox.stop();
    await this.subscriptionInbox.stop();
  }

  /** Creates the phase's workflow, connection and subscription. */
  async preparePhase(name: string): Promise<Phase> {
    const tag = `${name}-${this.suffix}`;
    const workflow = `fault-${tag}`;
    const connection = await api('POST', '/v1/connections', {
      body: {
        name: `fault-${tag}`,
        connector: 'webhook',
        config: { url: `${this.connectorUrl}/${tag}` },
      },
    });
    if (connection.status !== 201 && connection.status !== 200) {
      throw new Error(`connection: ${connection.status} ${JSON.stringify(connection.body)}`);
    }
    await this.orchestrate.createWorkflow({
      name: workflow,
      steps: [
        { name: 'first', agent: this.agent, input: '${input}' },
        {
          name: 'flaky',
          agent: this.agent,
          input: '${input}',
          // Room for one more attempt than the run needs: a fault that costs an attempt shows up.
          retry: { max_attempts: 3, backoff: 'fixed', initial_delay: '1s', jitter: false },
        },
        { name: 'notify', action: 'send-message', connection: `fault-${tag}`, input: '${input}' },
        { name: 'last', agent: this.agent, input: '${input}' },
      ],
    });
    const subscription = await api<{ id: string }>('POST', '/v1/subscriptions', {
      body: {
        webhook_url: `${this.subscriptionUrl}/${tag}`,
        events: ['workflow.run.completed'],
        filter: `data.output.phase = "${tag}"`,
        retry: { max_attempts: 20, initial_delay: '1s', max_delay: '5s' },
      },
    });
    if (subscription.status !== 201) {
      throw new Error(`subscription: ${subscription.status} ${JSON.stringify(subscription.body)}`);
    }
    return {
      name,
      workflow,
      subscriptionId: subscription.body.id,
      startedAt: new Date(),
      runs: new Map(),
    };
  }

  /** Starts `count` runs of the phase's workflow, twenty at a time as a busy client would. */
  /**
   * Starts one run as a careful client does: with an Idempotency-Key, retried
   * on 503/504 (a gateway that waited too long for a busy engine), so a start
   * that did go through is answered with the same run, never a second one.
   */
  private async startOnce(workflow: string, key: string, input: Record<string, unknown>) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.orchestrate.startRun(workflow, input, { idempotencyKey: key });
      } catch (error) {
        const status = (error as BatonApiError).status;
        if (!(error instanceof BatonApiError) || ![503, 504].includes(status) || attempt >= 5) {
          throw error;
        }
        await new Promise((resolve) => setTimeout(resolve, 1_000 * attempt));
      }
    }
  }

  async startRuns(phase: Phase, count: number): Promise<void> {
    const tag = `${phase.name}-${this.suffix}`;
    for (let from = 0; from < count; from += 20) {
      const batch = Array.from({ length: Math.min(20, count - from) }, (_, i) => from + i);
      const started = await Promise.all(
        batch.map(async (n) => {
          const key = `${tag}#${n}`;
          const run = await this.startOnce(phase.workflow, key, { phase: tag, n, key });
          return [run.id, key] as const;
        }),
      );
      for (const [id, key] of started) phase.runs.set(id, key);
    }
  }
}
