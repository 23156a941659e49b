import type { ConnectionView, RunView } from '@baton/contracts';
import type { OrchestratePlatform } from '@baton/sdk';
import type { Admin, Consumer, KafkaMessage } from 'kafkajs';
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import {
  adminSecurity,
  api,
  eventually,
  kafka,
  metricValue,
  platformState,
  sdk,
} from './support/platform';

async function createConnection(body: Record<string, unknown>): Promise<ConnectionView> {
  const response = await api<ConnectionView>('POST', '/v1/connections', { body });
  if (![200, 201].includes(response.status)) {
    throw new Error(
      `connection ${String(body.name)}: ${response.status} ${JSON.stringify(response.body)}`,
    );
  }
  return response.body;
}

async function listen(server: Server | SMTPServer): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address =
    (server as unknown as { server?: Server }).server?.address() ?? (server as Server).address();
  return (address as AddressInfo).port;
}

async function close(server: Server | SMTPServer | undefined): Promise<void> {
  if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
}

interface Call {
  method: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: Record<string, unknown>;
}
const calls: Call[] = [];
let slack: Server;

/** Runs are named per test run, so a rerun on the same database starts clean. */
const suffix = randomUUID().slice(0, 8);

describe('connectors: kafka, smtp, slack and inbound hooks', () => {
  let orchestrate: OrchestratePlatform;

  async function run(workflow: string, input: Record<string, unknown>): Promise<RunView> {
    const started = await orchestrate.startRun(workflow, input);
    return orchestrate.waitForRun(started.id, 60_000);
  }

  beforeAll(() => {
    orchestrate = sdk();
  });

  // The Slack double outlives its describe: the hook-triggered workflow posts to it too.
  afterAll(async () => {
    await close(slack);
  });

  it('lists the new connectors with their schemas', async () => {
    const response = await api<{ items: { kind: string; operations: { name: string }[] }[] }>(
      'GET',
      '/v1/connectors',
    );
    const byKind = Object.fromEntries(response.body.items.map((c) => [c.kind, c]));
    expect(byKind.kafka.operations.map((o) => o.name)).toEqual(['produce']);
    expect(byKind.smtp.operations.map((o) => o.name)).toEqual(['send']);
    expect(byKind.slack.operations.map((o) => o.name)).toEqual(['post-message', 'update-message']);
    expect(byKind.hook.operations).toEqual([]);
  });

  describe('kafka: the project broker as an external cluster', () => {
    const topic = `e2e-external-orders-${suffix}`;
    let admin: Admin;
    let consumer: Consumer;
    const received: KafkaMessage[] = [];

    beforeAll(async () => {
      admin = kafka('e2e-kafka-connector-admin').admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
      consumer = kafka('e2e-kafka-connector-consumer').consumer({
        groupId: `e2e-kafka-connector-${suffix}`,
      });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachMessage: ({ message }) => {
          received.push(message);
          return Promise.resolve();
        },
      });
      // On the suite's SASL broker the "external" cluster wants a credential: the operator's.
      const sasl = adminSecurity().sasl as { username: string; password: string } | undefined;
      await createConnection({
        name: 'orders-bus',
        connector: 'kafka',
        config: {
          brokers: platformState().kafkaBrokers.split(','),
          client_id: 'baton-e2e',
          ...(sasl ? { sasl: { mechanism: 'scram-sha-512', username: sasl.username } } : {}),
        },
        ...(sasl ? { secrets: { sasl_password: sasl.password } } : {}),
      });
      await orchestrate.createWorkflow({
        name: 'kafka-produce',
        steps: [
          {
            name: 'produce',
            action: 'orders-bus.produce',
            input: {
              topic,
              key: '${input.order_id}',
              value: { order_id: '${input.order_id}', total: '${input.total}' },
              headers: { origin: 'baton-e2e' },
            },
          },
        ],
      });
      await orchestrate.createWorkflow({
        name: 'kafka-produce-unknown-topic',
        steps: [
          {
            name: 'produce',
            action: 'orders-bus.produce',
            input: { topic: `e2e-no-such-topic-${suffix}`, value: 'x' },
          },
        ],
      });
    });

    afterAll(async () => {
      await consumer?.disconnect();
      await admin?.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await admin?.disconnect();
    });

    it('produces a record with key, JSON value and headers from a workflow step', async () => {
      const result = await run('kafka-produce', { order_id: 'o-17', total: 42 });
      expect(result.status).toBe('completed');
      expect(result.steps[0].output).toEqual({
        topic,
        partition: 0,
        offset: expect.any(String) as string,
      });
      const message = await eventually(
        async () => Promise.resolve(received.find((m) => m.key?.toString() === 'o-17')),
        20_000,
        'the produced record',
      );
      expect(JSON.parse(message.value!.toString())).toEqual({ order_id: 'o-17', total: 42 });
      expect(message.headers?.origin?.toString()).toBe('baton-e2e');
      expect(message.headers?.['x-baton-task-id']?.toString()).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('types a topic that does not exist as a validation_error (no topic is created)', async () => {
      const result = await run('kafka-produce-unknown-topic', {});
      expect(result.status).toBe('failed');
      expect(result.error).toEqual({
        type: 'validation_error',
        message: "kafka connection 'orders-bus': UNKNOWN_TOPIC_OR_PARTITION",
      });
      const topics = await admin.listTopics();
      expect(topics).not.toContain(`e2e-no-such-topic-${suffix}`);
    });

    it('refuses a broker config that fails its schema, naming the field', async () => {
      const response = await api('POST', '/v1/connections', {
        body: { name: 'bad-bus', connector: 'kafka', config: { brokers: ['no-port'] } },
      });
      expect(response.status).toBe(422);
      expect(JSON.stringify(response.body)).toContain('config.brokers.0');
    });
  });

  describe('smtp: a server started by the test', () => {
    interface Mail {
      from: string;
      to: string[];
      user: string | undefined;
      raw: string;
    }
    const mails: Mail[] = [];
    let smtp: SMTPServer;
    let files: Server;
    const pdf = Buffer.from('%PDF-1.4 invoice 2026-001 ' + 'x'.repeat(2000));

    beforeAll(async () => {
      smtp = new SMTPServer({
        secure: false,
        disabledCommands: ['STARTTLS'],
        allowInsecureAuth: true,
        authMethods: ['PLAIN', 'LOGIN'],
        logger: false,
        onAuth(auth, _session, callback) {
          if (auth.username === 'baton' && auth.password === 'mail-secret')
            return callback(null, { user: auth.username });
          callback(new Error('Invalid username or password'));
        },
        onRcptTo(address, _session, callback) {
          if (address.address.endsWith('@nowhere.invalid')) {
            const error = new Error('no such user') as Error & { responseCode: number };
            error.responseCode = 550;
            return callback(error);
          }
          callback();
        },
        onData(stream, session, callback) {
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            mails.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address),
              user: session.user,
              raw: Buffer.concat(chunks).toString('utf8'),
            });
            callback();
          });
        },
      });
      const smtpPort = await listen(smtp);
      files = createServer((req, res) => {
        if (req.url === '/invoice.pdf') {
          res.writeHead(200, { 'content-type': 'application/pdf' });
          return res.end(pdf);
        }
        if (req.url === '/huge.bin') {
          res.writeHead(200, { 'content-type': 'application/octet-stream' });
          return res.end(Buffer.alloc(64 * 1024));
        }
        res.writeHead(404).end();
      });
      const filesPort = await listen(files);
      await createConnection({
        name: 'mailer',
        connector: 'smtp',
        config: {
          host: '127.0.0.1',
          port: smtpPort,
          require_tls: false,
          username: 'baton',
          from: 'Baton <noreply@example.com>',
          max_attachment_bytes: 16 * 1024,
        },
        secrets: { password: 'mail-secret' },
      });
      const files_ = `http://127.0.0.1:${filesPort}`;
      await orchestrate.createWorkflow({
        name: 'smtp-send',
        steps: [
          {
            name: 'mail',
            action: 'mailer.send',
            input: {
              to: '${input.email}',
              cc: ['audit@example.com'],
              subject: 'Your case ${input.case}',
              text: 'We opened case ${input.case}.',
              html: '<p>We opened case <b>${input.case}</b>.</p>',
              attachments: [{ url: `${files_}/invoice.pdf`, filename: 'invoice.pdf' }],
            },
          },
        ],
      });
      await orchestrate.createWorkflow({
        name: 'smtp-refused',
        steps: [
          {
            name: 'mail',
            action: 'mailer.send',
            input: { to: 'ghost@nowhere.invalid', subject: 'hello', text: 'hi' },
          },
        ],
      });
      await orchestrate.createWorkflow({
        name: 'smtp-huge-attachment',
        steps: [
          {
            name: 'mail',
            action: 'mailer.send',
            input: {
              to: 'ada@example.com',
              subject: 'big',
              text: 'big',
              attachments: [{ url: `${files_}/huge.bin` }],
            },
          },
        ],
      });
    });

    afterAll(async () => {
      await close(smtp);
      await close(files);
    });

    it('sends text, HTML and a fetched attachment, authenticated, to every recipient', async () => {
      const result = await run('smtp-send', { email: 'ada@example.com', case: 'C-7' });
      expect(result.status).toBe('completed');
      expect(result.steps[0].output).toMatchObject({
        accepted: ['ada@example.com', 'audit@example.com'],
        rejected: [],
        message_id: expect.stringMatching(/^<.+>$/) as string,
      });
      const mail = await eventually(
        async () => Promise.resolve(mails.find((m) => m.raw.includes('Your case C-7'))),
        10_000,
        'the mail',
      );
      expect(mail.user).toBe('baton');
      expect(mail.from).toBe('noreply@example.com');
      expect(mail.to.sort()).toEqual(['ada@example.com', 'audit@example.com']);
      expect(mail.raw).toMatch(/^Subject: Your case C-7\r?$/m);
      expect(mail.raw).toMatch(/^From: Baton <noreply@example\.com>\r?$/m);
      expect(mail.raw).toContain('We opened case C-7.');
      expect(mail.raw).toContain('<b>C-7</b>');
      expect(mail.raw).toMatch(/Content-Disposition: attachment; filename=invoice\.pdf/);
      expect(mail.raw.replace(/\r?\n/g, '')).toContain(pdf.toString('base64'));
    });

    it('types a refused recipient as validation_error, without sending anything', async () => {
      const before = mails.length;
      const result = await run('smtp-refused', {});
      expect(result.status).toBe('failed');
      expect(result.error).toMatchObject({ type: 'validation_error' });
      expect(result.error?.message).toContain("smtp connection 'mailer'");
      expect(result.error?.message).toContain('550');
      expect(mails.length).toBe(before);
    });

    it('refuses an attachment over max_attachment_bytes before connecting', async () => {
      const result = await run('smtp-huge-attachment', {});
      expect(result.status).toBe('failed');
      expect(result.error).toEqual({
        type: 'validation_error',
        message: 'attachments exceed max_attachment_bytes (16384)',
      });
    });
  });

  describe('slack: a local server checking the Web API contract', () => {
    let rateLimitedOnce = true;

    beforeAll(async () => {
      slack = createServer((req: IncomingMessage, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const method = (req.url ?? '').replace(/^\/api\//, '');
          const text = Buffer.concat(chunks).toString('utf8');
          const body = (
            req.headers['content-type']?.startsWith('application/json')
              ? JSON.parse(text)
              : Object.fromEntries(new URLSearchParams(text))
          ) as Record<string, unknown>;
          calls.push({
            method,
            authorization: req.headers.authorization,
            contentType: req.headers['content-type'],
            body,
          });
          const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
            res.writeHead(status, {
              'content-type': 'application/json; charset=utf-8',
              ...headers,
            });
            res.end(JSON.stringify(payload));
          };
          if (req.method !== 'POST') return send(405, { ok: false, error: 'method_not_allowed' });
          if (req.headers.authorization !== 'Bearer xoxb-e2e-token')
            return send(200, { ok: false, error: 'invalid_auth' });
          if (body.channel === 'C-UNKNOWN')
            return send(200, { ok: false, error: 'channel_not_found' });
          if (method === 'chat.postMessage') {
            if (!body.text && !body.blocks) return send(200, { ok: false, error: 'no_text' });
            return send(200, {
              ok: true,
              channel: body.channel,
              ts: '1765000000.000100',
              message: { type: 'message', text: body.text, bot_id: 'B1' },
            });
          }
          if (method === 'chat.update') {
            if (rateLimitedOnce) {
              rateLimitedOnce = false;
              return send(429, { ok: false, error: 'ratelimited' }, { 'retry-after': '1' });
            }
            return send(200, { ok: true, channel: body.channel, ts: body.ts, text: body.text });
          }
          if (method === 'auth.test') return send(200, { ok: true, team: 'Acme', user: 'baton' });
          send(200, { ok: false, error: 'unknown_method' });
        });
      });
      const port = await listen(slack);
      const base = `http://127.0.0.1:${port}/api`;
      await createConnection({
        name: 'team-slack',
        connector: 'slack',
        config: { base_url: base, default_channel: 'C-SUPPORT' },
        secrets: { bot_token: 'xoxb-e2e-token' },
      });
      await createConnection({
        name: 'revoked-slack',
        connector: 'slack',
        config: { base_url: base },
        secrets: { bot_token: 'xoxb-revoked' },
      });
      await orchestrate.createWorkflow({
        name: 'slack-post-and-update',
        steps: [
          {
            name: 'post',
            action: 'team-slack.post-message',
            input: { text: 'New case ${input.case}', thread_ts: '1765000000.000001' },
          },
          {
            name: 'update',
            action: 'team-slack.update-message',
            input: {
              channel: '${post.channel}',
              ts: '${post.ts}',
              text: 'Case ${input.case}: resolved',
            },
          },
        ],
      });
      await orchestrate.createWorkflow({
        name: 'slack-unknown-channel',
        steps: [
          {
            name: 'post',
            action: 'team-slack.post-message',
            input: { channel: 'C-UNKNOWN', text: 'x' },
          },
        ],
      });
      await orchestrate.createWorkflow({
        name: 'slack-revoked',
        steps: [
          {
            name: 'post',
            action: 'revoked-slack.post-message',
            input: { channel: 'C1', text: 'x' },
          },
        ],
      });
    });

    it('posts with the bot token as JSON, then updates it (honouring a 429 Retry-After)', async () => {
      const result = await run('slack-post-and-update', { case: 'C-9' });
      expect(result.status).toBe('completed');
      expect(result.steps[0].output).toEqual({
        channel: 'C-SUPPORT',
        ts: '1765000000.000100',
        message: { type: 'message', text: 'New case C-9', bot_id: 'B1' },
      });
      expect(result.steps[1].output).toEqual({
        channel: 'C-SUPPORT',
        ts: '1765000000.000100',
        text: 'Case C-9: resolved',
      });
      const post = calls.find(
        (c) => c.method === 'chat.postMessage' && c.body.text === 'New case C-9',
      )!;
      expect(post.authorization).toBe('Bearer xoxb-e2e-token');
      expect(post.contentType).toBe('application/json; charset=utf-8');
      expect(post.body).toEqual({
        channel: 'C-SUPPORT',
        text: 'New case C-9',
        thread_ts: '1765000000.000001',
      });
      const updates = calls.filter((c) => c.method === 'chat.update');
      expect(updates).toHaveLength(2); // ratelimited once, then retried (chat.update is idempotent)
      expect(updates[1].body).toEqual({
        channel: 'C-SUPPORT',
        ts: '1765000000.000100',
        text: 'Case C-9: resolved',
      });
    });

    it('types channel_not_found and invalid_auth as validation_error', async () => {
      const unknown = await run('slack-unknown-channel', {});
      expect(unknown.error).toEqual({
        type: 'validation_error',
        message: "slack connection 'team-slack' chat.postMessage: channel_not_found",
      });
      const revoked = await run('slack-revoked', {});
      expect(revoked.error).toEqual({
        type: 'validation_error',
        message: "slack connection 'revoked-slack' chat.postMessage: invalid_auth",
      });
      expect(calls.filter((c) => c.body.channel === 'C-UNKNOWN')).toHaveLength(1);
    });

    it('probes with auth.test', async () => {
      const response = await api('POST', '/v1/connections/team-slack/test');
      expect(response.status).toBe(200);
      expect(JSON.stringify(response.body)).toContain('"team":"Acme"');
    });
  });

  describe('inbound hooks', () => {
    const type = `support.ticket-${suffix}`;
    const hmac = (secret: string, ...parts: string[]) => {
      const mac = createHmac('sha256', secret);
      for (const p of parts) mac.update(p);
      return mac.digest('hex');
    };
    const post = (path: string, body: string, headers: Record<string, string>) =>
      fetch(`${platformState().gatewayUrl}${path}`, { method: 'POST', headers, body });
    const problemOf = async (response: Response) => ({
      status: response.status,
      type: response.headers.get('content-type'),
      body: (await response.json()) as Record<string, unknown>,
    });
    const now = () => String(Math.floor(Date.now() / 1000));
    let runsOf: () => Promise<RunView[]>;

    beforeAll(async () => {
      await createConnection({
        name: 'helpdesk-hook',
        connector: 'hook',
        config: {
          event_type: type,
          scheme: 'hmac_sha256',
          signature_header: 'X-Helpdesk-Signature',
          timestamp_header: 'X-Helpdesk-Time',
        },
        secrets: { signing_secret: 'helpdesk-secret' },
      });
      await createConnection({
        name: 'slack-events',
        connector: 'hook',
        config: { event_type: `slack.command-${suffix}`, scheme: 'slack' },
        secrets: { signing_secret: 'slack-signing-secret' },
      });
      await createConnection({
        name: 'github-push',
        connector: 'hook',
        config: { event_type: `github.push-${suffix}`, scheme: 'github' },
        secrets: { signing_secret: 'gh-secret' },
      });
      await orchestrate.createWorkflow({
        name: `hook-triggered-${suffix}`,
        trigger: type,
        steps: [
          {
            name: 'ack',
            action: 'team-slack.post-message',
            input: { text: 'Ticket ${input.ticket}' },
          },
        ],
      });
      runsOf = async () =>
        (
          await api<{ items: RunView[] }>(
            'GET',
            `/v1/runs?workflow=hook-triggered-${suffix}&limit=200`,
          )
        ).body.items;
    });

    it('turns a signed call into an event that triggers a workflow run', async () => {
      const body = JSON.stringify({ ticket: 'T-100', priority: 'high' });
      const ts = now();
      const response = await post('/v1/hooks/default/helpdesk-hook', body, {
        'content-type': 'application/json',
        'x-helpdesk-time': ts,
        'x-helpdesk-signature': `sha256=${hmac('helpdesk-secret', `${ts}.`, body)}`,
      });
      expect(response.status).toBe(202);
      const accepted = (await response.json()) as { id: string; type: string };
      expect(accepted.type).toBe(type);
      const event = await eventually(
        async () => {
          const got = await api<{ type: string; source: string; data: unknown }>(
            'GET',
            `/v1/events/${accepted.id}`,
          );
          return got.status === 200 ? got.body : undefined;
        },
        20_000,
        'the stored event',
      );
      expect(event).toMatchObject({
        type,
        source: 'hooks/helpdesk-hook',
        data: { ticket: 'T-100', priority: 'high' },
      });
      const runs = await eventually(
        async () => {
          const all = await runsOf();
          return all.length > 0 ? all : undefined;
        },
        30_000,
        'the triggered run',
      );
      const done = await orchestrate.waitForRun(runs[0].id, 60_000);
      expect(done.status).toBe('completed');
      expect(done.input).toEqual({ ticket: 'T-100', priority: 'high' });
      expect(
        calls.some((c) => c.method === 'chat.postMessage' && c.body.text === 'Ticket T-100'),
      ).toBe(true);
    });

    it('refuses a replay, a stale timestamp, a bad signature and an unknown connection alike with 401', async () => {
      const body = JSON.stringify({ ticket: 'T-101' });
      const ts = now();
      const headers = {
        'content-type': 'application/json',
        'x-helpdesk-time': ts,
        'x-helpdesk-signature': hmac('helpdesk-secret', `${ts}.`, body),
      };
      const replayedBefore = await metricValue('integration-manager', 'baton_hook_requests_total', {
        connection: 'helpdesk-hook',
        outcome: 'replayed',
      });
      const badBefore = await metricValue('integration-manager', 'baton_hook_requests_total', {
        connection: 'helpdesk-hook',
        outcome: 'bad_signature',
      });
      expect((await post('/v1/hooks/default/helpdesk-hook', body, headers)).status).toBe(202);
      const replay = await problemOf(await post('/v1/hooks/default/helpdesk-hook', body, headers));
      const stale = String(Math.floor(Date.now() / 1000) - 3600);
      const old = await problemOf(
        await post('/v1/hooks/default/helpdesk-hook', body, {
          ...headers,
          'x-helpdesk-time': stale,
          'x-helpdesk-signature': hmac('helpdesk-secret', `${stale}.`, body),
        }),
      );
      const tampered = await problemOf(
        await post('/v1/hooks/default/helpdesk-hook', body.replace('T-101', 'T-666'), headers),
      );
      const unknownConnection = await problemOf(
        await post('/v1/hooks/default/no-such-hook', body, headers),
      );
      const unknownWorkspace = await problemOf(
        await post('/v1/hooks/nowhere/helpdesk-hook', body, headers),
      );
      for (const answer of [replay, old, tampered, unknownConnection, unknownWorkspace]) {
        expect(answer.status).toBe(401);
        expect(answer.type).toContain('application/problem+json');
        expect(answer.body.detail).toBe(replay.body.detail);
      }
      expect(
        await metricValue('integration-manager', 'baton_hook_requests_total', {
          connection: 'helpdesk-hook',
          outcome: 'replayed',
        }),
      ).toBe(replayedBefore + 1);
      expect(
        await metricValue('integration-manager', 'baton_hook_requests_total', {
          connection: 'helpdesk-hook',
          outcome: 'bad_signature',
        }),
      ).toBe(badBefore + 1);
    });

    it("verifies Slack's signing secret over a form body, and GitHub's X-Hub-Signature-256", async () => {
      const form = 'command=%2Fcase&text=open+T-200&user_id=U1';
      const ts = now();
      const slackAnswer = await post('/v1/hooks/default/slack-events', form, {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': ts,
        'x-slack-signature': `v0=${hmac('slack-signing-secret', `v0:${ts}:`, form)}`,
      });
      expect(slackAnswer.status).toBe(202);
      const slackId = ((await slackAnswer.json()) as { id: string }).id;
      const pushed = JSON.stringify({ ref: 'refs/heads/main', after: suffix });
      const ghAnswer = await post('/v1/hooks/default/github-push', pushed, {
        'content-type': 'application/json',
        'x-github-event': 'push',
        'x-hub-signature-256': `sha256=${hmac('gh-secret', pushed)}`,
      });
      expect(ghAnswer.status).toBe(202);
      const ghId = ((await ghAnswer.json()) as { id: string }).id;
      const stored = async (id: string) =>
        eventually(
          async () => {
            const got = await api<{ data: unknown }>('GET', `/v1/events/${id}`);
            return got.status === 200 ? got.body.data : undefined;
          },
          20_000,
          `event ${id}`,
        );
      expect(await stored(slackId)).toEqual({
        command: '/case',
        text: 'open T-200',
        user_id: 'U1',
      });
      expect(await stored(ghId)).toEqual({ ref: 'refs/heads/main', after: suffix });
      // The same GitHub delivery again is a replay.
      const again = await post('/v1/hooks/default/github-push', pushed, {
        'content-type': 'application/json',
        'x-hub-signature-256': `sha256=${hmac('gh-secret', pushed)}`,
      });
      expect(again.status).toBe(401);
    });

    it('refuses a hook connection without its signing secret, naming it', async () => {
      const response = await api('POST', '/v1/connections', {
        body: {
          name: 'unsigned-hook',
          connector: 'hook',
          config: { event_type: 'x', scheme: 'github' },
        },
      });
      expect(response.status).toBe(422);
      expect(JSON.stringify(response.body)).toContain('secrets.signing_secret');
    });
  });
});
