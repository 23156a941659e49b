import { Topics } from '@baton/contracts';
import { fixKafkajsIdleTimer, kafkaSecurityFromEnv } from '@baton/kafka';
import * as fs from 'node:fs';
import { Kafka, logLevel, type SASLOptions } from 'kafkajs';
import { STATE_FILE } from './support/paths';
import { platformState, workerEnv } from './support/platform';

type State = ReturnType<typeof platformState> & {
  serviceEnv: Record<string, Record<string, string>>;
};

/**
 * The suite's own platform on a SASL broker (BATON_KAFKA_SECURITY=sasl, the
 * default of jest-e2e.config.js): every service runs under its own principal
 * with only its ACLs, the tests' agent workers under the default workspace's,
 * and the broker refuses anyone else. On a PLAINTEXT run (=none) the services
 * get no credential at all.
 */
describe("the suite's Kafka principals", () => {
  const state = JSON.parse(fs.readFileSync(STATE_FILE, 'utf8')) as State;
  const secure = state.kafkaSecurity !== undefined;
  const opened: { disconnect(): Promise<void> }[] = [];

  /** A producer's answer to one send: 'ok', or the broker's *_AUTHORIZATION_FAILED / the error's name. */
  const sendAs = async (sasl: SASLOptions | undefined, topic: string): Promise<string> => {
    fixKafkajsIdleTimer();
    const producer = new Kafka({
      clientId: 'e2e-principals',
      brokers: state.kafkaBrokers.split(','),
      ...(sasl ? { sasl } : {}),
      logLevel: logLevel.NOTHING,
      retry: { retries: 1, initialRetryTime: 100 },
      connectionTimeout: 3000,
    }).producer();
    opened.push(producer);
    try {
      await producer.connect();
      await producer.send({ topic, acks: -1, messages: [{ value: '{"forged":true}' }] });
      return 'ok';
    } catch (error) {
      for (let e = error as { type?: string; name?: string; cause?: unknown } | undefined; e;) {
        if (e.type?.endsWith('_AUTHORIZATION_FAILED')) return e.type;
        if (!e.cause) return e.name ?? 'error';
        e = e.cause as typeof e;
      }
      return 'error';
    }
  };
  const serviceSasl = (service: string) => kafkaSecurityFromEnv(state.serviceEnv[service]).sasl;

  afterAll(async () => {
    for (const c of opened) await c.disconnect().catch(() => undefined);
  });

  it('starts each service as its own principal, its password in a 0600 file and nowhere else', () => {
    const names = state.services.map((s) => s.name).sort();
    if (!secure) {
      expect(state.serviceEnv).toEqual({});
      return;
    }
    expect(Object.keys(state.serviceEnv).sort()).toEqual(names);
    const stateText = fs.readFileSync(STATE_FILE, 'utf8');
    for (const name of names) {
      const env = state.serviceEnv[name];
      expect(env).toMatchObject({
        KAFKA_SASL_MECHANISM: 'scram-sha-512',
        KAFKA_SASL_USERNAME: `baton-${name}`,
      });
      expect(env.KAFKA_SASL_PASSWORD).toBeUndefined();
      expect(fs.statSync(env.KAFKA_SASL_PASSWORD_FILE).mode & 0o777).toBe(0o600);
      const password = fs.readFileSync(env.KAFKA_SASL_PASSWORD_FILE, 'utf8').trim();
      expect(stateText).not.toContain(password);
    }
  });

  it('refuses a client without a credential', async () => {
    const answer = await sendAs(undefined, Topics.workflowCommands);
    expect(answer === 'ok').toBe(!secure);
  });

  it("holds each service to its own topics and the tests' workers to their workspace's", async () => {
    if (!secure) {
      expect(workerEnv('default')).toEqual({});
      return;
    }
    // What is allowed is shown on dead-letter topics, which no service consumes: the garbage
    // sent has no effect on the platform the other specs use.
    const integration = serviceSasl('integration-manager');
    expect(await sendAs(integration, Topics.dlq('integration-manager'))).toBe('ok');
    expect(await sendAs(integration, Topics.dlq('workflow-engine'))).toBe(
      'TOPIC_AUTHORIZATION_FAILED',
    );
    expect(await sendAs(integration, Topics.workflowCommands)).toBe('TOPIC_AUTHORIZATION_FAILED');
    // The default workspace's worker (what every AgentWorker in this suite runs as) cannot forge
    // a reply or a command.
    const worker = kafkaSecurityFromEnv(workerEnv('default')).sasl;
    expect(await sendAs(worker, Topics.dlq('agents'))).toBe('ok');
    expect(await sendAs(worker, Topics.gatewayReplies)).toBe('TOPIC_AUTHORIZATION_FAILED');
    expect(await sendAs(worker, Topics.workflowCommands)).toBe('TOPIC_AUTHORIZATION_FAILED');
    expect(process.env.KAFKA_SASL_USERNAME).toBe('baton-worker-default');
  });
});
