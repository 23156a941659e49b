import {
  fixKafkajsDeletedTopicPositions,
  forgettingPositionsOfDeletedTopics,
  type ConsumerGroupState,
} from './kafkajs-deleted-topic-fix';

const protocolError = (type: string) => Object.assign(new Error(type), { type });

function consumerGroup(recovery: () => Promise<void>) {
  const clearAllOffsets = jest.fn();
  const group: ConsumerGroupState = {
    offsetManager: { clearAllOffsets },
    recoverFromFetch: forgettingPositionsOfDeletedTopics(recovery),
  };
  return { group, clearAllOffsets };
}

describe('kafkajs deleted-topic positions fix', () => {
  it('forgets the positions when the fetch and the metadata refresh both find a topic unknown', async () => {
    const refreshFailed = protocolError('UNKNOWN_TOPIC_OR_PARTITION');
    const { group, clearAllOffsets } = consumerGroup(() => Promise.reject(refreshFailed));
    await expect(group.recoverFromFetch(protocolError('UNKNOWN_TOPIC_OR_PARTITION'))).rejects.toBe(
      refreshFailed,
    );
    expect(clearAllOffsets).toHaveBeenCalledTimes(1);
  });

  it('keeps them when kafkajs recovers (the topic is there: a rejoin rereads committed offsets)', async () => {
    const { group, clearAllOffsets } = consumerGroup(() => Promise.resolve());
    await group.recoverFromFetch(protocolError('UNKNOWN_TOPIC_OR_PARTITION'));
    expect(clearAllOffsets).not.toHaveBeenCalled();
  });

  it('keeps them for other failures, which it passes on untouched', async () => {
    const notLeader = protocolError('NOT_LEADER_FOR_PARTITION');
    const { group, clearAllOffsets } = consumerGroup(() => Promise.reject(notLeader));
    await expect(group.recoverFromFetch(protocolError('NOT_LEADER_FOR_PARTITION'))).rejects.toBe(
      notLeader,
    );
    // A fetch that failed otherwise and a refresh that then found a topic missing: no claim
    // about the fetched partitions' topic, so nothing is forgotten.
    const { group: other, clearAllOffsets: otherClear } = consumerGroup(() =>
      Promise.reject(protocolError('UNKNOWN_TOPIC_OR_PARTITION')),
    );
    await expect(other.recoverFromFetch(protocolError('LEADER_NOT_AVAILABLE'))).rejects.toThrow();
    expect(clearAllOffsets).not.toHaveBeenCalled();
    expect(otherClear).not.toHaveBeenCalled();
  });

  it('is in place on the kafkajs this project pins, once however often it is asked', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ConsumerGroup = require('kafkajs/src/consumer/consumerGroup') as {
      prototype: ConsumerGroupState;
    };
    const original = ConsumerGroup.prototype.recoverFromFetch;
    expect(fixKafkajsDeletedTopicPositions()).toBe(true);
    const patched = ConsumerGroup.prototype.recoverFromFetch;
    expect(patched).not.toBe(original);
    expect(fixKafkajsDeletedTopicPositions()).toBe(true);
    expect(ConsumerGroup.prototype.recoverFromFetch).toBe(patched);
  });
});
