import { DomainError } from '@baton/contracts';
import { OutboundRefusedError, type OutboundHttp } from '@baton/service-kit';
import { createTransport, type Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import {
  OperationError,
  type ConnectionTarget,
  type Connector,
  type JsonSchema,
  type Operation,
  type OperationContext,
  type OperationResult,
  withinDeadline,
} from '../connector';
import { RefusedTargetError, type TargetPolicy } from '../target-policy';

export const DEFAULT_MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

const ADDRESS = { type: 'string', format: 'email', maxLength: 320 };
const ADDRESSES = {
  oneOf: [ADDRESS, { type: 'array', minItems: 1, maxItems: 100, items: ADDRESS }],
};
/** A header value: one line, so a value cannot add headers. */
const LINE = { type: 'string', pattern: '^[^\\r\\n]*$' };

const CONFIG_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['host', 'from'],
  additionalProperties: false,
  properties: {
    host: { type: 'string', minLength: 1, maxLength: 253 },
    port: { type: 'integer', minimum: 1, maximum: 65535, default: 587 },
    secure: {
      type: 'boolean',
      default: false,
      description: 'TLS from the first byte (port 465); otherwise STARTTLS when offered',
    },
    require_tls: {
      type: 'boolean',
      default: true,
      description: 'refuse to send unless STARTTLS succeeds (certificates always verified)',
    },
    username: { type: 'string', minLength: 1, maxLength: 320 },
    from: {
      ...LINE,
      minLength: 3,
      maxLength: 400,
      description: 'the sender: a@b.c or "Name <a@b.c>"',
    },
    pool_size: { type: 'integer', minimum: 1, maximum: 20, default: 2 },
    max_attachment_bytes: {
      type: 'integer',
      minimum: 1,
      maximum: 25 * 1024 * 1024,
      default: DEFAULT_MAX_ATTACHMENT_BYTES,
      description: 'all attachments of one message together',
    },
  },
};

const SEND_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['to', 'subject'],
  additionalProperties: false,
  anyOf: [{ required: ['text'] }, { required: ['html'] }],
  properties: {
    to: ADDRESSES,
    cc: ADDRESSES,
    bcc: ADDRESSES,
    reply_to: ADDRESS,
    subject: { ...LINE, maxLength: 998 },
    text: { type: 'string', maxLength: 1_000_000 },
    html: { type: 'string', maxLength: 2_000_000 },
    attachments: {
      type: 'array',
      maxItems: 20,
      items: {
        type: 'object',
        required: ['url'],
        additionalProperties: false,
        properties: {
          url: { type: 'string', format: 'uri', pattern: '^https?://', maxLength: 2048 },
          filename: { type: 'string', pattern: '^[^\\r\\n/\\\\]{1,255}$' },
          content_type: { type: 'string', pattern: '^[\\w.+-]+/[\\w.+-]+$' },
        },
      },
    },
  },
};

interface Attachment {
  url: string;
  filename?: string;
  content_type?: string;
}

/**
 * Email through an SMTP server with nodemailer: `send` to, cc, bcc, subject,
 * text and/or HTML, attachments by reference (http(s) URLs fetched through
 * the outbound guard, bounded in size). One pooled transport per connection,
 * connected to the address the target policy checked.
 */
export class SmtpConnector implements Connector {
  readonly kind = 'smtp';
  readonly description = 'Email over SMTP (nodemailer)';
  readonly configSchema = CONFIG_SCHEMA;
  readonly secretFields = [{ name: 'password', description: 'with config.username' }];
  readonly operations: ReadonlyMap<string, Operation>;
  private readonly transports = new Map<string, Promise<Transporter<SMTPPool.SentMessageInfo>>>();

  constructor(
    private readonly targets: TargetPolicy,
    private readonly http: OutboundHttp,
  ) {
    const send: Operation = {
      name: 'send',
      description: 'Sends one message; output { message_id, accepted, rejected, response }',
      inputSchema: SEND_SCHEMA,
      // Sending twice delivers twice.
      idempotent: () => false,
      execute: (context, input) => this.send(context, input),
    };
    this.operations = new Map([[send.name, send]]);
  }

  async validateConfig(
    config: Record<string, unknown>,
    secrets: Record<string, string>,
  ): Promise<void> {
    if (config.username !== undefined && !secrets.password) {
      throw DomainError.invalid('secrets.password', 'is required with config.username');
    }
    const refused = await this.targets.refusal(String(config.host));
    if (refused) throw DomainError.invalid('config.host', `must not be internal: ${refused}`);
  }

  async probe(context: OperationContext): Promise<Record<string, unknown>> {
    const transport = await this.transport(context.connection);
    await this.guard(context, () => transport.verify());
    return { reachable: true };
  }

  async release(key: string): Promise<void> {
    const transport = this.transports.get(key);
    this.transports.delete(key);
    (await transport?.catch(() => undefined))?.close();
  }

  async close(): Promise<void> {
    await Promise.all([...this.transports.keys()].map((key) => this.release(key)));
    await this.http.close();
  }

  private async send(
    context: OperationContext,
    input: Record<string, unknown>,
  ): Promise<OperationResult> {
    const { connection } = context;
    const attachments = await this.attachments(
      context,
      (input.attachments as Attachment[] | undefined) ?? [],
    );
    const transport = await this.transport(connection);
    const info = await this.guard(context, () =>
      transport.sendMail({
        from: String(connection.config.from),
        to: input.to as string | string[],
        cc: input.cc as string | string[] | undefined,
        bcc: input.bcc as string | string[] | undefined,
        replyTo: input.reply_to as string | undefined,
        subject: String(input.subject),
        text: input.text as string | undefined,
        html: input.html as string | undefined,
        attachments,
        headers: context.task ? { 'X-Baton-Task-Id': context.task.task_id } : undefined,
      }),
    );
    if (info.rejected.length > 0 && info.accepted.length === 0) {
      throw new OperationError(
        'validation_error',
        `smtp connection '${connection.name}': every recipient was refused`,
      );
    }
    return {
      output: {
        message_id: info.messageId,
        accepted: info.accepted.map(String),
        rejected: info.rejected.map(String),
        response: info.response,
      },
    };
  }

  /** Each attachment fetched (GET, guarded, no redirect to elsewhere unchecked), all within the byte budget. */
  private async attachments(context: OperationContext, list: Attachment[]) {
    const { connection, signal } = context;
    let budget = Number(connection.config.max_attachment_bytes ?? DEFAULT_MAX_ATTACHMENT_BYTES);
    const out: { filename: string; content: Buffer; contentType?: string }[] = [];
    for (const [index, attachment] of list.entries()) {
      const field = `input.attachments.${index}.url`;
      let response: Response;
      try {
        response = await this.http.fetch(
          attachment.url,
          { method: 'GET', signal },
          { followRedirects: 3 },
        );
      } catch (error) {
        if (error instanceof OutboundRefusedError) {
          throw new OperationError(
            'validation_error',
            `${field} ${error.message}`,
            null,
            undefined,
            field,
          );
        }
        if (signal.aborted) throw new OperationError('timeout', `${field} did not answer in time`);
        throw new OperationError('system_error', `${field} could not be fetched`);
      }
      if (response.status !== 200) {
        await response.body?.cancel().catch(() => undefined);
        throw new OperationError(
          response.status >= 400 && response.status < 500 ? 'validation_error' : 'system_error',
          `${field} answered HTTP ${response.status}`,
          response.status,
          undefined,
          field,
        );
      }
      const content = await readBytes(response, budget);
      if (!content) {
        throw new OperationError(
          'validation_error',
          `attachments exceed max_attachment_bytes (${String(connection.config.max_attachment_bytes ?? DEFAULT_MAX_ATTACHMENT_BYTES)})`,
          null,
          undefined,
          field,
        );
      }
      budget -= content.length;
      out.push({
        filename: attachment.filename ?? fileName(attachment.url, index),
        content,
        contentType: attachment.content_type ?? response.headers.get('content-type') ?? undefined,
      });
    }
    return out;
  }

  private transport(connection: ConnectionTarget): Promise<Transporter<SMTPPool.SentMessageInfo>> {
    let transport = this.transports.get(connection.key);
    if (!transport) {
      transport = this.createTransport(connection);
      this.transports.set(connection.key, transport);
      // A failed resolution is not cached: the next call tries again.
      transport.catch(() => this.transports.delete(connection.key));
    }
    return transport;
  }

  private async createTransport(connection: ConnectionTarget) {
    const { config } = connection;
    const host = String(config.host);
    let address: string;
    try {
      address = await this.targets.address(host);
    } catch (error) {
      throw new OperationError(
        'system_error',
        error instanceof RefusedTargetError
          ? `smtp connection '${connection.name}': ${error.message}`
          : `smtp connection '${connection.name}': ${host} does not resolve`,
      );
    }
    const secure = config.secure === true;
    const options: SMTPPool.Options & { servername?: string } = {
      pool: true,
      host: address,
      // Certificates are checked against the configured name, not the address connected to.
      servername: host,
      port: Number(config.port ?? (secure ? 465 : 587)),
      secure,
      requireTLS: !secure && config.require_tls !== false,
      maxConnections: Number(config.pool_size ?? 2),
      tls: { servername: host, rejectUnauthorized: true },
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
      auth:
        typeof config.username === 'string'
          ? { user: config.username, pass: connection.secrets.password ?? '' }
          : undefined,
      logger: false,
    };
    return createTransport(options);
  }

  /** Runs an SMTP exchange, typed: 5xx and refused auth are the caller's, 4xx and the network the server's. */
  private guard<T>(context: OperationContext, work: () => Promise<T>): Promise<T> {
    const what = `smtp connection '${context.connection.name}'`;
    return withinDeadline(context.signal, what, work, (error) => smtpFailure(error, what));
  }
}

/** A nodemailer error as an OperationError, its message without server banners or credentials. */
export function smtpFailure(error: unknown, what: string): OperationError {
  const { code, responseCode } = error as { code?: string; responseCode?: number };
  if (code === 'ETIMEDOUT') return new OperationError('timeout', `${what} timed out`);
  if (code === 'EAUTH') {
    return new OperationError(
      'validation_error',
      `${what}: credentials refused (${responseCode ?? 'EAUTH'})`,
    );
  }
  if (typeof responseCode === 'number') {
    return new OperationError(
      responseCode >= 500 ? 'validation_error' : 'system_error',
      `${what}: server answered ${responseCode}${code ? ` (${code})` : ''}`,
    );
  }
  if (code === 'EENVELOPE' || code === 'EMESSAGE') {
    return new OperationError('validation_error', `${what}: message refused (${code})`);
  }
  return new OperationError('system_error', `${what} failed: ${code ?? 'connection error'}`);
}

/** The whole body if it fits in `limit` bytes, else null (reading stops at the limit). */
async function readBytes(
  response: { body: ReadableStream<Uint8Array> | null },
  limit: number,
): Promise<Buffer | null> {
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks);
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
}

function fileName(url: string, index: number): string {
  const last = new URL(url).pathname.split('/').pop() ?? '';
  let decoded = last;
  try {
    decoded = decodeURIComponent(last);
  } catch {
    // a malformed escape: keep it as it is
  }
  const name = decoded.replace(/[\r\n/\\]/g, '');
  return name !== '' ? name.slice(0, 255) : `attachment-${index + 1}`;
}
