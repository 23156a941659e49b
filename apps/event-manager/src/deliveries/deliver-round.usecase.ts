import { BatonKafka } from '@baton/kafka';
import { Inject, Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { afterFailure, type RetrySettings } from '../routing/delivery-lanes';
import {
  agentTaskMessage,
  topicMessage,
  workflowStartMessage,
  type RawKafkaMessage,
} from '../routing/delivery-payload';
import { DeliveriesRepository, type DeliveryOutcome } from '../routing/deliveries.repository';
import { DeliveryJobs, type DeliveryJob } from './delivery-jobs';
import { recordKafkaDelivery, withWebhookDeliverySpan } from './delivery-tracing';
import { WebhookSender } from './webhook-sender';

const outcomes = new Counter({
  name: 'baton_event_delivery_attempts_total',
  help: 'Delivery attempts by destination kind and outcome',
  labelNames: ['kind', 'outcome'],
});

/**
 * The lease bounds how long a crashed dispatcher's deliveries wait before
 * another round takes them: longer than a webhook lane's budget plus one
 * request's timeout, short enough for a restart not to stall delivery.
 */
const CLAIM = { windowPerChannel: 500, maxPerLane: 100, max: 2_000, leaseMs: 45_000 };
const WEBHOOK_LANES_IN_FLIGHT = 16;
/** A webhook lane gives its remaining rows back after this long, well inside the lease. */
const WEBHOOK_LANE_BUDGET_MS = 20_000;
const TOPIC_CACHE_MS = 30_000;

/**
 * One dispatcher round: lease what may go now, perform it, record every
 * outcome. Kafka destinations of the round go out in one batch; webhooks go
 * one lane (subject) at a time, lanes in parallel. Returns how many were claimed.
 */
@Injectable()
export class DeliverRoundUseCase {
  private readonly knownTopics = new Map<string, number>();

  constructor(
    private readonly deliveries: DeliveriesRepository,
    private readonly jobs: DeliveryJobs,
    private readonly webhooks: WebhookSender,
    @Inject(BatonKafka) private readonly kafka: BatonKafka,
  ) {}

  async execute(): Promise<number> {
    const claimed = await this.deliveries.claim(CLAIM);
    if (claimed.length === 0) return 0;
    const { jobs, rejected } = await this.jobs.resolve(claimed);
    const results: DeliveryOutcome[] = rejected.map(({ delivery, error }) => ({
      id: delivery.id,
      subscriptionId: delivery.subscriptionId,
      kind: 'dead',
      error,
    }));
    outcomes.inc({ kind: 'any', outcome: 'rejected' }, rejected.length);
    const viaKafka = jobs.filter((job) => job.destination.kind !== 'webhook');
    const viaHttp = jobs.filter((job) => job.destination.kind === 'webhook');
    const [kafkaResults, httpResults] = await Promise.all([
      this.deliverToKafka(viaKafka),
      this.deliverToWebhooks(viaHttp),
    ]);
    results.push(...kafkaResults, ...httpResults);
    await this.deliveries.record(results);
    return claimed.length;
  }

  /**
   * One batch for the round. When a lane's delivery fails, that one is
   * retried later and the rest of its lane is given back, so a subject's
   * deliveries never overtake each other.
   */
  private async deliverToKafka(jobs: DeliveryJob[]): Promise<DeliveryOutcome[]> {
    if (jobs.length === 0) return [];
    const results: DeliveryOutcome[] = [];
    const blocked = new Set<string>();
    const laneOf = (job: DeliveryJob) => `${job.delivery.channel}\n${job.delivery.lane}`;
    const fail = (job: DeliveryJob, reason: string) => {
      if (blocked.has(laneOf(job))) return results.push(release(job));
      const outcome = failed(job, reason, false);
      if (outcome.kind === 'retry') blocked.add(laneOf(job));
      return results.push(outcome);
    };
    const exists = new Map<string, boolean>();
    const sendable: { job: DeliveryJob; message: RawKafkaMessage }[] = [];
    for (const job of jobs) {
      if (blocked.has(laneOf(job))) {
        results.push(release(job));
        continue;
      }
      const message = toKafkaMessage(job);
      if (!exists.has(message.topic))
        exists.set(message.topic, await this.topicExists(message.topic));
      if (!exists.get(message.topic)) {
        fail(
          job,
          job.destination.kind === 'agent'
            ? `agent '${job.destination.agent}' is not registered (no task topic ${message.topic})`
            : `topic ${message.topic} does not exist`,
        );
        continue;
      }
      sendable.push({ job, message });
    }
    try {
      await this.kafka.publishRawBatch(sendable.map((s) => s.message));
    } catch (error) {
      for (const { job } of sendable)
        fail(job, `Kafka refused the delivery: ${(error as Error).message}`);
      return results;
    }
    for (const { job, message } of sendable) {
      recordKafkaDelivery(job, message.topic, 'delivered');
      outcomes.inc({ kind: job.destination.kind, outcome: 'delivered' });
      results.push({
        id: job.delivery.id,
        subscriptionId: job.delivery.subscriptionId,
        kind: 'delivered',
      });
    }
    return results;
  }

  private async deliverToWebhooks(jobs: DeliveryJob[]): Promise<DeliveryOutcome[]> {
    const lanes = new Map<string, DeliveryJob[]>();
    for (const job of jobs) {
      const key = `${job.delivery.channel}\n${job.delivery.lane}`;
      lanes.set(key, [...(lanes.get(key) ?? []), job]);
    }
    const queue = [...lanes.values()];
    const results: DeliveryOutcome[] = [];
    const worker = async () => {
      for (let lane = queue.shift(); lane; lane = queue.shift())
        results.push(...(await this.deliverLane(lane)));
    };
    await Promise.all(
      Array.from({ length: Math.min(WEBHOOK_LANES_IN_FLIGHT, queue.length) }, worker),
    );
    return results;
  }

  /** In order; a failure that will be retried holds back the rest of the lane. */
  private async deliverLane(lane: DeliveryJob[]): Promise<DeliveryOutcome[]> {
    const results: DeliveryOutcome[] = [];
    const started = Date.now();
    for (const [index, job] of lane.entries()) {
      if (Date.now() - started > WEBHOOK_LANE_BUDGET_MS) {
        results.push(...lane.slice(index).map(release));
        break;
      }
      if (job.destination.kind !== 'webhook') continue;
      const url = job.destination.url;
      const answer = await withWebhookDeliverySpan(job, () =>
        this.webhooks.send(url, job.facts, job.secret),
      );
      if (answer.ok) {
        outcomes.inc({ kind: 'webhook', outcome: 'delivered' });
        results.push({
          id: job.delivery.id,
          subscriptionId: job.delivery.subscriptionId,
          kind: 'delivered',
        });
        continue;
      }
      const outcome = failed(job, answer.error, answer.permanent === true);
      results.push(outcome);
      if (outcome.kind === 'retry') {
        results.push(...lane.slice(index + 1).map(release));
        break;
      }
    }
    return results;
  }

  /** Kafka's metadata answers "unknown topic" only after retries: ask the admin API, and cache yes. */
  private async topicExists(topic: string): Promise<boolean> {
    const seen = this.knownTopics.get(topic);
    if (seen !== undefined && Date.now() - seen < TOPIC_CACHE_MS) return true;
    if (!(await this.kafka.topicExists(topic))) return false;
    this.knownTopics.set(topic, Date.now());
    return true;
  }
}

function toKafkaMessage(job: DeliveryJob): RawKafkaMessage {
  const destination = job.destination;
  switch (destination.kind) {
    case 'agent':
      return agentTaskMessage(destination.agent, job.facts);
    case 'workflow':
      return workflowStartMessage(destination.workflow, job.delivery.channel, job.facts);
    case 'topic':
      return topicMessage(destination.topic, destination.format, job.facts);
    case 'webhook':
      throw new Error('webhooks are not delivered through Kafka');
  }
}

function failed(job: DeliveryJob, error: string, permanent: boolean): DeliveryOutcome {
  const settings: RetrySettings = job.retry;
  const next = afterFailure(settings, job.delivery.attempts + 1, permanent);
  outcomes.inc({ kind: job.destination.kind, outcome: next.dead ? 'dead' : 'retry' });
  const base = { id: job.delivery.id, subscriptionId: job.delivery.subscriptionId };
  return next.dead
    ? { ...base, kind: 'dead', error: `${error} (after ${job.delivery.attempts + 1} attempt(s))` }
    : { ...base, kind: 'retry', delayMs: next.delayMs, error };
}

function release(job: DeliveryJob): DeliveryOutcome {
  return { id: job.delivery.id, subscriptionId: job.delivery.subscriptionId, kind: 'release' };
}
