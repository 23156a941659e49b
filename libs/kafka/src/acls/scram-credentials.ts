import { pbkdf2Sync, randomBytes } from 'node:crypto';
import type { Kafka } from 'kafkajs';

/**
 * Kafka's AlterUserScramCredentials request (API key 51, KIP-554): creates,
 * replaces or deletes a SASL/SCRAM user through any broker, which forwards it
 * to the KRaft controller. kafkajs 2.2.4 (its last release) has no such
 * request, so it is encoded here and sent on one of kafkajs' own broker
 * connections (authenticated as the caller's principal, which needs ALTER on
 * the cluster). Only version 0 exists; it is a "flexible" request (KIP-482):
 * compact strings and arrays, tagged fields, and request header v2.
 */
export const ALTER_USER_SCRAM_CREDENTIALS = 51;

export type ScramMechanism = 'scram-sha-256' | 'scram-sha-512';

/** Kafka's ScramMechanism type byte and its hash (RFC 5802 Hi() is PBKDF2 with HMAC of it). */
const MECHANISMS: Record<ScramMechanism, { type: number; hash: string; bytes: number }> = {
  'scram-sha-256': { type: 1, hash: 'sha256', bytes: 32 },
  'scram-sha-512': { type: 2, hash: 'sha512', bytes: 64 },
};

/** Kafka refuses fewer (ScramMechanism.minIterations) or more than 16,384 iterations. */
export const SCRAM_MIN_ITERATIONS = 4096;
export const SCRAM_MAX_ITERATIONS = 16_384;

export interface ScramUpsertion {
  user: string;
  mechanism: ScramMechanism;
  iterations: number;
  salt: Buffer;
  /** Hi(password, salt, iterations): the broker never sees the password itself. */
  saltedPassword: Buffer;
}

export interface ScramDeletion {
  user: string;
  mechanism: ScramMechanism;
}

export interface ScramAlterationResult {
  user: string;
  errorCode: number;
  errorMessage: string | null;
}

/** The upsertion that sets `password` for `user`, with a fresh random salt. */
export function scramUpsertion(
  user: string,
  password: string,
  mechanism: ScramMechanism = 'scram-sha-512',
  iterations = 8192,
): ScramUpsertion {
  if (iterations < SCRAM_MIN_ITERATIONS || iterations > SCRAM_MAX_ITERATIONS) {
    throw new RangeError(
      `SCRAM iterations must be ${SCRAM_MIN_ITERATIONS}..${SCRAM_MAX_ITERATIONS}`,
    );
  }
  const { hash, bytes } = MECHANISMS[mechanism];
  const salt = randomBytes(32);
  const saltedPassword = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, bytes, hash);
  return { user, mechanism, iterations, salt, saltedPassword };
}

/** Appends Kafka's wire types to a list of chunks. */
class Writer {
  private readonly chunks: Buffer[] = [];

  uvarint(value: number): this {
    const bytes: number[] = [];
    let rest = value >>> 0;
    while (rest >= 0x80) {
      bytes.push((rest & 0x7f) | 0x80);
      rest >>>= 7;
    }
    bytes.push(rest);
    this.chunks.push(Buffer.from(bytes));
    return this;
  }

  int8(value: number): this {
    const b = Buffer.alloc(1);
    b.writeInt8(value);
    this.chunks.push(b);
    return this;
  }

  int32(value: number): this {
    const b = Buffer.alloc(4);
    b.writeInt32BE(value);
    this.chunks.push(b);
    return this;
  }

  /** COMPACT_BYTES: length + 1 as an unsigned varint, then the bytes. */
  compactBytes(value: Buffer): this {
    this.uvarint(value.length + 1);
    this.chunks.push(value);
    return this;
  }

  compactString(value: string): this {
    return this.compactBytes(Buffer.from(value, 'utf8'));
  }

  compactArray<T>(items: T[], each: (item: T) => void): this {
    this.uvarint(items.length + 1);
    for (const item of items) each(item);
    return this;
  }

  /** An empty TAG_BUFFER: no tagged fields. */
  noTags(): this {
    return this.uvarint(0);
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

/**
 * The request body as kafkajs appends it to its header (api key, version,
 * correlation id, client id: header v1). The leading empty tag buffer turns
 * that header into v2, which flexible requests require.
 */
export function encodeAlterUserScramCredentials(
  deletions: ScramDeletion[],
  upsertions: ScramUpsertion[],
): Buffer {
  const w = new Writer().noTags();
  w.compactArray(deletions, (d) => {
    w.compactString(d.user).int8(MECHANISMS[d.mechanism].type).noTags();
  });
  w.compactArray(upsertions, (u) => {
    w.compactString(u.user)
      .int8(MECHANISMS[u.mechanism].type)
      .int32(u.iterations)
      .compactBytes(u.salt)
      .compactBytes(u.saltedPassword)
      .noTags();
  });
  return w.noTags().toBuffer();
}

/** Reads Kafka's wire types from a response body. */
class Reader {
  private offset = 0;
  constructor(private readonly buffer: Buffer) {}

  uvarint(): number {
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const byte = this.buffer.readUInt8(this.offset++);
      result |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result >>> 0;
    }
    throw new Error('malformed unsigned varint');
  }

  int16(): number {
    const value = this.buffer.readInt16BE(this.offset);
    this.offset += 2;
    return value;
  }

  int32(): number {
    const value = this.buffer.readInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  compactNullableString(): string | null {
    const length = this.uvarint() - 1;
    if (length < 0) return null;
    if (this.offset + length > this.buffer.length) throw new Error('string past the end');
    const value = this.buffer.toString('utf8', this.offset, this.offset + length);
    this.offset += length;
    return value;
  }

  /** Skips a TAG_BUFFER: each field is its tag, its size and that many bytes. */
  tags(): void {
    const count = this.uvarint();
    for (let i = 0; i < count; i++) {
      this.uvarint();
      const size = this.uvarint(); // read before `offset +=` reads the offset
      this.offset += size;
    }
  }
}

/**
 * The response after its correlation id (kafkajs strips size and id): the
 * response header v1's tag buffer, the throttle time and one result per user.
 */
export function decodeAlterUserScramCredentialsResponse(body: Buffer): {
  throttleTimeMs: number;
  results: ScramAlterationResult[];
} {
  const r = new Reader(body);
  r.tags();
  const throttleTimeMs = r.int32();
  const count = r.uvarint() - 1;
  const results: ScramAlterationResult[] = [];
  for (let i = 0; i < count; i++) {
    const user = r.compactNullableString() ?? '';
    const errorCode = r.int16();
    const errorMessage = r.compactNullableString();
    r.tags();
    results.push({ user, errorCode, errorMessage });
  }
  r.tags();
  return { throttleTimeMs, results };
}

/** Kafka's error codes an alteration answers with (KIP-554), by name. */
const ERROR_NAMES: Record<number, string> = {
  31: 'CLUSTER_AUTHORIZATION_FAILED',
  33: 'UNSUPPORTED_SASL_MECHANISM',
  35: 'UNSUPPORTED_VERSION',
  42: 'INVALID_REQUEST',
  91: 'RESOURCE_NOT_FOUND',
  92: 'DUPLICATE_RESOURCE',
  93: 'UNACCEPTABLE_CREDENTIAL',
};

/**
 * A failed alteration: each user and Kafka's error name. The broker's own
 * message (it can dump its request internals) stays in `results` for a log.
 */
export class ScramAlterationError extends Error {
  constructor(readonly results: ScramAlterationResult[]) {
    super(
      results
        .map((r) => `${r.user}: ${ERROR_NAMES[r.errorCode] ?? `Kafka error ${r.errorCode}`}`)
        .join('; '),
    );
    this.name = 'ScramAlterationError';
  }

  get unauthorized(): boolean {
    return this.results.some((r) => r.errorCode === 31);
  }
}

/** The parts of kafkajs' private cluster and broker this uses, as kafkajs 2.2.4 has them. */
interface KafkajsBroker {
  connectionPool?: { send(request: unknown): Promise<unknown> };
  connection?: { send(request: unknown): Promise<unknown> };
}
interface KafkajsCluster {
  connect(): Promise<void>;
  refreshMetadata(): Promise<void>;
  disconnect(): Promise<void>;
  findControllerBroker(): Promise<KafkajsBroker>;
}

function privateSymbol(target: object, description: string): symbol {
  for (let o: object | null = target; o; o = Object.getPrototypeOf(o) as object | null) {
    const found = Object.getOwnPropertySymbols(o).find((s) => s.description === description);
    if (found) return found;
  }
  throw new Error(`kafkajs internals changed: no ${description} (written for kafkajs 2.2.4)`);
}

/**
 * Sends one AlterUserScramCredentials request on a connection of `kafka`
 * (its brokers, TLS and SASL settings) and throws unless every user's
 * alteration succeeded.
 */
export async function alterUserScramCredentials(
  kafka: Kafka,
  alterations: { deletions?: ScramDeletion[]; upsertions?: ScramUpsertion[] },
  requestTimeoutMs = 30_000,
): Promise<ScramAlterationResult[]> {
  const createCluster = (kafka as unknown as Record<symbol, (o: object) => KafkajsCluster>)[
    privateSymbol(kafka, 'private:Kafka:createCluster')
  ];
  const cluster = createCluster({ allowAutoTopicCreation: false });
  await cluster.connect();
  try {
    await cluster.refreshMetadata(); // which broker is the controller (any one forwards)
    const broker = await cluster.findControllerBroker();
    const pool = broker.connectionPool ?? broker.connection;
    if (!pool) throw new Error('kafkajs internals changed: a broker without a connection');
    const body = encodeAlterUserScramCredentials(
      alterations.deletions ?? [],
      alterations.upsertions ?? [],
    );
    const data = (await pool.send({
      request: {
        apiKey: ALTER_USER_SCRAM_CREDENTIALS,
        apiVersion: 0,
        apiName: 'AlterUserScramCredentials',
        // kafkajs' Encoder shape (request.js appends `buffer` after checking `buf`).
        encode: async () => ({ buf: body, buffer: body }),
      },
      response: {
        decode: async (payload: Buffer) => decodeAlterUserScramCredentialsResponse(payload),
        parse: async (decoded: ReturnType<typeof decodeAlterUserScramCredentialsResponse>) =>
          decoded,
      },
      requestTimeout: requestTimeoutMs,
    })) as ReturnType<typeof decodeAlterUserScramCredentialsResponse>;
    const failed = data.results.filter((r) => r.errorCode !== 0);
    if (failed.length > 0) throw new ScramAlterationError(failed);
    return data.results;
  } finally {
    await cluster.disconnect().catch(() => undefined);
  }
}
