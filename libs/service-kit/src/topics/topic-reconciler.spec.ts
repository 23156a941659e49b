import type { BatonKafka, TopicSpec } from '@baton/kafka';
import type { BaseEnv } from '../env';
import type { Logger } from 'pino';
import { TopicReconciler, type ClusterMemory } from './topic-reconciler';

/** BatonKafka as far as the reconciler uses it: a cluster id and the topics it has. */
function fakeKafka(clusterId: string, existing: string[]) {
  const cluster = { clusterId, existing: new Set(existing), created: [] as string[] };
  const kafka = {
    clusterId: async () => cluster.clusterId,
    reconcileTopics: async (specs: TopicSpec[]) => {
      const missing = specs.filter((spec) => !cluster.existing.has(spec.topic));
      for (const spec of missing) cluster.existing.add(spec.topic);
      cluster.created.push(...missing.map((spec) => spec.topic));
      return missing.map((spec) => spec.topic);
    },
  };
  return { cluster, kafka: kafka as unknown as BatonKafka };
}

const logs: string[] = [];
const logger = {
  warn: (_extra: object, message: string) => logs.push(message),
} as unknown as Logger;
const config = {} as BaseEnv;

function memory(initial?: string): ClusterMemory & { saved: string[] } {
  let current = initial;
  const saved: string[] = [];
  return {
    saved,
    load: async () => current,
    save: async (id) => {
      current = id;
      saved.push(id);
    },
  };
}

describe('TopicReconciler', () => {
  beforeEach(() => logs.splice(0));

  it('creates what its sources need and the cluster lacks, and skips a source that fails', async () => {
    const { cluster, kafka } = fakeKafka('c1', ['baton.agent.tasks.ws.a']);
    const reconciler = new TopicReconciler(kafka, logger, config);
    reconciler.addSource('agents', async () => [
      { topic: 'baton.agent.tasks.ws.a', partitions: 1 },
      { topic: 'baton.agent.tasks.ws.b', partitions: 2 },
    ]);
    reconciler.addSource('broken', () => Promise.reject(new Error('database away')));
    await reconciler.reconcileNow();
    expect(cluster.created).toContain('baton.agent.tasks.ws.b');
    expect(cluster.created).toContain('baton.workflow.commands'); // the platform's own
    expect(cluster.created).not.toContain('baton.agent.tasks.ws.a');
    expect(logs).toContain('could not list the topics a feature needs');
    expect(logs).toContain('created missing topics');
  });

  it('runs the new-cluster hooks once when the cluster id changes while it runs', async () => {
    const { cluster, kafka } = fakeKafka('c1', []);
    const reconciler = new TopicReconciler(kafka, logger, config);
    const seen: string[] = [];
    reconciler.onNewCluster(async (previous, current) => void seen.push(`${previous}->${current}`));
    await reconciler.reconcileNow();
    expect(seen).toEqual([]);
    cluster.clusterId = 'c2';
    await reconciler.reconcileNow();
    await reconciler.reconcileNow();
    expect(seen).toEqual(['c1->c2']);
  });

  it('notices a new cluster at start from the id it remembered, and remembers the new one', async () => {
    const { kafka } = fakeKafka('c2', []);
    const remembered = memory('c1');
    const reconciler = new TopicReconciler(kafka, logger, config, remembered);
    const seen: string[] = [];
    reconciler.onNewCluster(async (previous, current) => void seen.push(`${previous}->${current}`));
    await reconciler.reconcileNow();
    expect(seen).toEqual(['c1->c2']);
    expect(remembered.saved).toEqual(['c2']);
  });

  it('runs a hook that failed again at the next pass', async () => {
    const { kafka } = fakeKafka('c2', []);
    const reconciler = new TopicReconciler(kafka, logger, config, memory('c1'));
    let calls = 0;
    reconciler.onNewCluster(async () => {
      if (++calls === 1) throw new Error('database away');
    });
    await reconciler.reconcileNow();
    await reconciler.reconcileNow();
    expect(calls).toBe(2);
    await reconciler.reconcileNow();
    expect(calls).toBe(2);
  });
});
