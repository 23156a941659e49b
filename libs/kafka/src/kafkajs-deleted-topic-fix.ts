import { isUnknownTopic } from './kafka-error-types';

/**
 * kafkajs 2.2.4 keeps a consumer's positions (the next offset of each
 * assigned partition) in memory. When a subscribed topic is deleted and
 * created again under the same name (agent-manager's TopicReconciler does so
 * within seconds for a task topic deleted by hand), the fetch loop fails with
 * UNKNOWN_TOPIC_OR_PARTITION, retries, and once the topic is back fetches
 * from the old positions: the first messages of the new topic, below the old
 * position, are never delivered (a run's task was lost this way in
 * kafka-heal.e2e-spec.ts). Kafka has no topic ids in the protocol versions
 * kafkajs speaks, so nothing later can tell the new topic from the old one.
 *
 * The broker drops a group's committed offsets with the deleted topic. So
 * the moment to act is the failed fetch: when the metadata refresh kafkajs
 * runs to recover from it says a subscribed topic is unknown, the consumer
 * forgets the positions of its assignment. Its next fetch asks the group
 * coordinator for committed offsets again: none for the recreated topic, so
 * it starts where the consumer's `fromBeginning` says (Baton: the earliest
 * offset); for topics that still exist, the last commit (what was finished
 * since is delivered again, as after a rebalance). Only kafkajs' own
 * retries are involved; the recovery is otherwise unchanged.
 */

/** The error shape kafkajs gives protocol errors. */
interface KafkajsError {
  type?: string;
}

/** The private ConsumerGroup state the replacement touches, as kafkajs 2.2.4 names it. */
export interface ConsumerGroupState {
  offsetManager: { clearAllOffsets(): void } | null;
  recoverFromFetch(error: KafkajsError): Promise<void>;
}

const PATCHED_VERSIONS = new Set(['2.2.4']);

/** Wraps kafkajs' recoverFromFetch so a fetch that finds a subscribed topic gone forgets positions. */
export function forgettingPositionsOfDeletedTopics(
  original: ConsumerGroupState['recoverFromFetch'],
): ConsumerGroupState['recoverFromFetch'] {
  return async function recoverFromFetch(this: ConsumerGroupState, error: KafkajsError) {
    try {
      await original.call(this, error);
    } catch (recoveryError) {
      // kafkajs answers UNKNOWN_TOPIC_OR_PARTITION by refreshing its metadata (then rejoining,
      // which rereads committed offsets anyway); the refresh failing the same way means a
      // subscribed topic is gone, not a partition moving between brokers.
      if (isUnknownTopic(error) && isUnknownTopic(recoveryError)) {
        this.offsetManager?.clearAllOffsets();
      }
      throw recoveryError;
    }
  };
}

let applied = false;

/**
 * Wraps the method on kafkajs' ConsumerGroup, once per process. Returns
 * whether the fix is in place; another kafkajs version is left untouched.
 */
export function fixKafkajsDeletedTopicPositions(): boolean {
  if (applied) return true;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { version } = require('kafkajs/package.json') as { version: string };
  if (!PATCHED_VERSIONS.has(version)) return false;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ConsumerGroup = require('kafkajs/src/consumer/consumerGroup') as {
    prototype: ConsumerGroupState;
  };
  ConsumerGroup.prototype.recoverFromFetch = forgettingPositionsOfDeletedTopics(
    ConsumerGroup.prototype.recoverFromFetch,
  );
  applied = true;
  return true;
}
