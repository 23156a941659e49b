import { DomainError } from '@baton/contracts';
import { OutboundRefusedError, type OutboundHttp } from '@baton/service-kit';
import {
  OperationError,
  type Connector,
  type JsonSchema,
  type Operation,
  type OperationContext,
  type OperationResult,
} from '../connector';
import { retryAfterMs } from '../resilience';
import { readLimited } from '../webhook.connector';

export const SLACK_API = 'https://slack.com/api';
const MAX_RESPONSE_BYTES = 256 * 1024;

/**
 * Slack `error` codes that are the caller's doing (bad token, unknown
 * channel, a message that cannot be posted or edited): retrying cannot help,
 * so they are validation_error and do not count against the breaker. Any
 * other `ok: false` (internal_error, fatal_error, service_unavailable…) is
 * Slack's, a system_error.
 */
export const SLACK_CALLER_ERRORS = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'no_permission',
  'missing_scope',
  'not_allowed_token_type',
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'msg_too_long',
  'no_text',
  'too_many_attachments',
  'invalid_blocks',
  'invalid_blocks_format',
  'invalid_arguments',
  'invalid_arg_name',
  'invalid_charset',
  'invalid_form_data',
  'invalid_post_type',
  'missing_post_type',
  'message_not_found',
  'cant_update_message',
  'edit_window_closed',
  'restricted_action',
  'duplicate_channel_not_found',
]);

const CONFIG_SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    base_url: {
      type: 'string',
      format: 'uri',
      pattern: '^https?://',
      default: SLACK_API,
      description: `the Web API (default ${SLACK_API}); methods are POSTed below it`,
    },
    default_channel: {
      type: 'string',
      minLength: 1,
      maxLength: 200,
      description: 'used when a step names no channel',
    },
  },
};

const MESSAGE_FIELDS = {
  channel: { type: 'string', minLength: 1, maxLength: 200 },
  text: { type: 'string', maxLength: 40_000 },
  blocks: { type: 'array', maxItems: 50, items: { type: 'object' } },
  attachments: { type: 'array', maxItems: 100, items: { type: 'object' } },
};

const POST_SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  anyOf: [{ required: ['text'] }, { required: ['blocks'] }, { required: ['attachments'] }],
  properties: {
    ...MESSAGE_FIELDS,
    thread_ts: { type: 'string', pattern: '^[0-9]+\\.[0-9]+$' },
    reply_broadcast: { type: 'boolean' },
    unfurl_links: { type: 'boolean' },
    unfurl_media: { type: 'boolean' },
    mrkdwn: { type: 'boolean' },
    username: { type: 'string', maxLength: 80 },
    icon_emoji: { type: 'string', maxLength: 100 },
    icon_url: { type: 'string', format: 'uri' },
    metadata: { type: 'object' },
  },
};

const UPDATE_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['ts'],
  additionalProperties: false,
  anyOf: [{ required: ['text'] }, { required: ['blocks'] }, { required: ['attachments'] }],
  properties: {
    ...MESSAGE_FIELDS,
    ts: { type: 'string', pattern: '^[0-9]+\\.[0-9]+$', description: 'of the message to edit' },
    metadata: { type: 'object' },
  },
};

interface SlackAnswer {
  ok?: boolean;
  error?: string;
  [key: string]: unknown;
}

/**
 * Slack through its Web API: `post-message` (chat.postMessage) and
 * `update-message` (chat.update), JSON bodies with the bot token as a
 * Bearer header. `ok: false` is typed by its `error` code; a 429
 * (`ratelimited`) carries its Retry-After to the connection's limiter.
 */
export class SlackConnector implements Connector {
  readonly kind = 'slack';
  readonly description = 'Slack Web API: post and update messages';
  readonly configSchema = CONFIG_SCHEMA;
  readonly secretFields = [
    { name: 'bot_token', required: true, description: 'a bot token (xoxb-…)' },
  ];
  readonly operations: ReadonlyMap<string, Operation>;

  constructor(private readonly http: OutboundHttp) {
    const post: Operation = {
      name: 'post-message',
      description: 'chat.postMessage; output { channel, ts, message }',
      inputSchema: POST_SCHEMA,
      // A second call posts a second message.
      idempotent: () => false,
      check: (input, connection) => requireChannel(input, connection.config),
      execute: (context, input) => this.message(context, 'chat.postMessage', input),
    };
    const update: Operation = {
      name: 'update-message',
      description: 'chat.update of the message at ts; output { channel, ts, text }',
      inputSchema: UPDATE_SCHEMA,
      // Setting a message to the same content twice leaves it as once.
      idempotent: () => true,
      check: (input, connection) => requireChannel(input, connection.config),
      execute: (context, input) => this.message(context, 'chat.update', input),
    };
    this.operations = new Map([
      [post.name, post],
      [update.name, update],
    ]);
  }

  async validateConfig(config: Record<string, unknown>): Promise<void> {
    const base = new URL(String(config.base_url ?? SLACK_API));
    if (base.username || base.password) {
      throw DomainError.invalid('config.base_url', 'must not contain credentials');
    }
    const refused = await this.http.refusal(base);
    if (refused) throw DomainError.invalid('config.base_url', `must not be internal: ${refused}`);
  }

  async probe(context: OperationContext): Promise<Record<string, unknown>> {
    const answer = await this.call(context, 'auth.test', {});
    return { reachable: true, team: answer.team ?? null, bot_user: answer.user ?? null };
  }

  async close(): Promise<void> {
    await this.http.close();
  }

  private async message(
    context: OperationContext,
    method: string,
    input: Record<string, unknown>,
  ): Promise<OperationResult> {
    const channel = input.channel ?? context.connection.config.default_channel;
    const answer = await this.call(context, method, { ...input, channel });
    const { ok: _ok, ...output } = answer;
    return { httpStatus: 200, output };
  }

  /** One Web API method: POST base_url/method, JSON body, Bearer bot token. */
  async call(
    context: OperationContext,
    method: string,
    body: Record<string, unknown>,
  ): Promise<SlackAnswer> {
    const { connection, signal } = context;
    const what = `slack connection '${connection.name}' ${method}`;
    const url = `${String(connection.config.base_url ?? SLACK_API).replace(/\/+$/, '')}/${method}`;
    let response: Response;
    try {
      response = await this.http.fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          accept: 'application/json',
          authorization: `Bearer ${connection.secrets.bot_token ?? ''}`,
        },
        body: JSON.stringify(body),
        signal,
      });
    } catch (error) {
      if (error instanceof OutboundRefusedError)
        throw new OperationError('system_error', `${what} ${error.message}`);
      if (signal.aborted) throw new OperationError('timeout', `${what} did not answer in time`);
      const cause = (error as { cause?: { code?: string } }).cause;
      throw new OperationError(
        'system_error',
        `${what} failed: ${cause?.code ?? (error as Error).message}`,
      );
    }
    const { text } = await readLimited(response, MAX_RESPONSE_BYTES).catch(() => ({
      text: '',
      truncated: false,
    }));
    let answer: SlackAnswer = {};
    try {
      answer = JSON.parse(text) as SlackAnswer;
    } catch {
      // not JSON: typed by status below
    }
    if (response.status === 429 || answer.error === 'ratelimited') {
      throw new OperationError(
        'system_error',
        `${what}: ratelimited`,
        response.status,
        retryAfterMs(response.headers.get('retry-after')) ?? 1000,
      );
    }
    if (response.status >= 500 || (response.status !== 200 && answer.ok === undefined)) {
      throw new OperationError(
        'system_error',
        `${what} answered HTTP ${response.status}`,
        response.status,
      );
    }
    if (answer.ok !== true) {
      const code = typeof answer.error === 'string' ? answer.error.slice(0, 100) : 'unknown_error';
      throw new OperationError(
        SLACK_CALLER_ERRORS.has(code) ? 'validation_error' : 'system_error',
        `${what}: ${code}`,
        response.status,
      );
    }
    return answer;
  }
}

function requireChannel(input: Record<string, unknown>, config: Record<string, unknown>): void {
  if (input.channel === undefined && config.default_channel === undefined) {
    throw new OperationError(
      'validation_error',
      'input.channel is required (the connection has no default_channel)',
      null,
      undefined,
      'input.channel',
    );
  }
}
