import type { EachBatchPayload, KafkaMessage } from 'kafkajs';
import type { BatonKafka } from './baton-kafka';
import type { ConsumedMessage, ConsumerSpec } from './consumer-spec';
import { MessageConsumer } from './message-consumer';
import type { AttemptKey, AttemptLedger, AttemptRecord } from './poison/attempt-ledger';
import { configureConsumers } from './poison/consumer-settings';

/**
 * MessageConsumer's own logic, driven through kafkajs' eachBatch with
 * hand-made batches (the broker's side is covered by the e2e specs).
 */

class MemoryLedger implements AttemptLedger {
  readonly records = new Map<string, AttemptRecord>();
  writes = 0;
  async read(key: AttemptKey) {
    return this.records.get(`${key.topic}/${key.partition}`);
  }
  async write(key: AttemptKey, record: AttemptRecord) {
    this.writes++;
    this.records.set(`${key.topic}/${key.partition}`, record);
  }
}

interface Harness {
  consumer: MessageConsumer;
  eachBatch: (payload: EachBatchPayload) => Promise<void>;
  deadLetters: { reason: string; kind: string; offset: string }[];
}

async function harness(spec: Partial<ConsumerSpec>, ledger?: AttemptLedger): Promise<Harness> {
  const deadLetters: Harness['deadLetters'] = [];
  let eachBatch!: Harness['eachBatch'];
  const fakeConsumer = {
    events: { GROUP_JOIN: 'join', CRASH: 'crash' },
    on: () => undefined,
    connect: async () => undefined,
    subscribe: async () => undefined,
    run: async (config: { eachBatch: Harness['eachBatch'] }) => {
      eachBatch = config.eachBatch;
    },
    disconnect: async () => undefined,
    commitOffsets: async () => undefined,
  };
  const kafka = {
    kafka: { consumer: () => fakeConsumer },
    options: {},
    publishRaw: async (
      _topic: string,
      _key: unknown,
      _value: unknown,
      headers: Record<string, string>,
    ) => {
      deadLetters.push({
        reason: headers['baton-dlq-reason'],
        kind: headers['baton-dlq-kind'],
        offset: headers['baton-dlq-source-offset'],
      });
    },
  } as unknown as BatonKafka;
  configureConsumers(kafka, { ledger, chunk: 2 });
  const consumer = new MessageConsumer(kafka, {
    groupId: 'g',
    topics: ['t'],
    dlqTopic: 't.dlq',
    commitIntervalMs: 60_000,
    ...spec,
  });
  await consumer.start();
  await consumer.stop(); // only the idle-commit timer; eachBatch stays callable
  return { consumer, eachBatch, deadLetters };
}

function message(offset: number, key = `k${offset}`): KafkaMessage {
  const envelope = {
    specversion: '1.0',
    id: `id-${offset}`,
    type: 'test.ping',
    source: 'test',
    time: new Date(0).toISOString(),
    datacontenttype: 'application/json',
    workspaceid: 'w',
    correlationid: 'c',
    data: { n: offset },
  };
  return {
    offset: String(offset),
    key: Buffer.from(key),
    value: Buffer.from(JSON.stringify(envelope)),
    headers: {},
    timestamp: '0',
    attributes: 0,
  } as KafkaMessage;
}

function payload(offsets: number[], highWatermark: number, resolved: string[] = []) {
  const messages = offsets.map((offset) => message(offset));
  return {
    batch: {
      topic: 't',
      partition: 0,
      highWatermark: String(highWatermark),
      messages,
      lastOffset: () => messages[messages.length - 1].offset,
    },
    resolveOffset: (offset: string) => resolved.push(offset),
    heartbeat: async () => undefined,
    isRunning: () => true,
    isStale: () => false,
    commitOffsetsIfNecessary: async () => undefined,
  } as unknown as EachBatchPayload;
}

const n = (m: ConsumedMessage) => (m.envelope.data as { n: number }).n;
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('MessageConsumer.stalledForMs', () => {
  const cases: [
    string,
    (hold: (m: ConsumedMessage[]) => Promise<void>) => Partial<ConsumerSpec>,
  ][] = [
    ['handle', (hold) => ({ handle: (m) => hold([m]) })],
    ['handleBatch', (hold) => ({ handleBatch: (ms) => hold(ms) })],
    ['keyConcurrency', (hold) => ({ keyConcurrency: 4, handle: (m) => hold([m]) })],
  ];

  it.each(cases)('counts from the oldest invocation still running (%s)', async (_, specOf) => {
    const releases: (() => void)[] = [];
    const hold = () => new Promise<void>((resolve) => releases.push(resolve));
    const { consumer, eachBatch } = await harness(specOf(hold));
    expect(consumer.stalledForMs()).toBe(0);
    const started = Date.now();
    const running = eachBatch(payload([0, 1], 2));
    await tick();
    expect(releases.length).toBeGreaterThan(0);
    const stalled = consumer.stalledForMs(started + 10_000);
    expect(stalled).toBeGreaterThanOrEqual(9_000);
    expect(stalled).toBeLessThanOrEqual(10_000);
    while (releases.length > 0) {
      releases.shift()!();
      await tick();
    }
    await running;
    expect(consumer.stalledForMs()).toBe(0);
  });
});

describe('MessageConsumer with an attempt ledger', () => {
  it('writes one record per chunk of suspects and nothing past the window', async () => {
    const ledger = new MemoryLedger();
    const seen: number[] = [];
    const { eachBatch } = await harness({ handle: async (m) => void seen.push(n(m)) }, ledger);
    await eachBatch(payload([0, 1, 2, 3, 4], 3));
    // Chunks [0,1] and [2] of the window (high-water mark 3), then one clearing write.
    expect(ledger.writes).toBe(3);
    await eachBatch(payload([5, 6, 7, 8], 9));
    expect(ledger.writes).toBe(3);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(ledger.records.get('t/0')?.attempts).toBe(0);
  });

  it('narrows a batch handler that killed the process down to its culprit and dead-letters it', async () => {
    const ledger = new MemoryLedger();
    const handled: number[][] = [];
    let processes = 0;
    let result: Harness | undefined;
    // Each "process" gets the partition from offset 0 and dies (never returns) on 3.
    while (processes < 10) {
      processes++;
      const current = await harness(
        {
          handleBatch: (ms) => {
            if (ms.some((m) => n(m) === 3)) return new Promise<void>(() => undefined);
            handled.push(ms.map(n));
            return Promise.resolve();
          },
          handlerTimeoutMs: 0,
        },
        ledger,
      );
      const resolved: string[] = [];
      const outcome = await Promise.race([
        current.eachBatch(payload([0, 1, 2, 3, 4, 5], 6, resolved)).then(() => 'done'),
        new Promise((resolve) => setTimeout(() => resolve('died'), 50)),
      ]);
      if (outcome === 'done') {
        result = current;
        expect(resolved.at(-1)).toBe('5');
        break;
      }
    }
    expect(result?.deadLetters).toEqual([
      {
        reason: 'the process stopped 3 times while handling this message',
        kind: 'crash',
        offset: '3',
      },
    ]);
    expect(processes).toBe(4);
    // Alone: the killer's suspects; together again after it.
    expect(handled.at(-1)).toEqual([4, 5]);
    expect(handled).toContainEqual([2]);
  });

  it('dead-letters a handler that never settles after it timed out maxCrashes times', async () => {
    const seen: number[] = [];
    const { eachBatch, deadLetters } = await harness({
      handlerTimeoutMs: 20,
      handle: (m) => {
        if (n(m) === 1) return new Promise<void>(() => undefined);
        seen.push(n(m));
        return Promise.resolve();
      },
    });
    await eachBatch(payload([0, 1, 2], 3));
    expect(seen).toEqual([0, 2]);
    expect(deadLetters).toEqual([
      {
        reason: 'handler exceeded 20 ms (after 3 attempt(s))',
        kind: 'timeout',
        offset: '1',
      },
    ]);
  });
});

describe('MessageConsumer session while a handler runs', () => {
  /** Heartbeats sent during one batch whose only handler takes `holdMs`. */
  async function heartbeatsDuring(handlerTimeoutMs: number, holdMs: number): Promise<number> {
    const { eachBatch } = await harness({
      // kafkajs' heartbeat interval is a fifth of the session: 100 ms here.
      sessionTimeoutMs: 500,
      handlerTimeoutMs,
      handle: () => new Promise((resolve) => setTimeout(resolve, holdMs)),
    });
    let heartbeats = 0;
    const batch = payload([0], 1);
    batch.heartbeat = async () => {
      heartbeats++;
    };
    await eachBatch(batch);
    return heartbeats;
  }

  it('renews the session while a handler with a deadline outlasts the heartbeat interval', async () => {
    // About every 100 ms of the 450 ms handler (timers run late on a busy machine), and once
    // after the message as always.
    expect(await heartbeatsDuring(10_000, 450)).toBeGreaterThan(1);
  });

  it('leaves the session as the bound when handlers have no deadline (a worker lease)', async () => {
    expect(await heartbeatsDuring(0, 450)).toBe(1);
  });
});

describe('MessageConsumer restarted while it stops', () => {
  it('leaves no consumer running when stop() comes while a crash restart connects', async () => {
    let release!: () => void;
    const created: { connected: boolean; ran: boolean; disconnected: boolean }[] = [];
    const fakeConsumer = (connect: () => Promise<void>) => {
      const state = { connected: false, ran: false, disconnected: false };
      created.push(state);
      return {
        events: { GROUP_JOIN: 'join', CRASH: 'crash' },
        on: () => undefined,
        connect: async () => {
          await connect();
          state.connected = true;
        },
        subscribe: async () => undefined,
        run: async () => {
          state.ran = true;
        },
        disconnect: async () => {
          state.disconnected = true;
        },
        commitOffsets: async () => undefined,
      };
    };
    const kafka = {
      kafka: {
        consumer: () =>
          created.length === 0
            ? fakeConsumer(async () => undefined)
            : fakeConsumer(() => new Promise<void>((resolve) => (release = resolve))),
      },
      options: {},
      publishRaw: async () => undefined,
    } as unknown as BatonKafka;
    configureConsumers(kafka, {});
    const consumer = new MessageConsumer(kafka, { groupId: 'g', topics: ['t'], dlqTopic: 't.dlq' });
    await consumer.start();

    // What CrashRecovery does after kafkajs gave up on the first consumer.
    const restarting = (consumer as unknown as { restart(): Promise<void> }).restart();
    while (created.length < 2) await tick();
    const stopping = consumer.stop();
    release();
    await Promise.all([restarting, stopping]);

    expect(created[1]).toEqual({ connected: true, ran: false, disconnected: true });
  });
});
