import {
  AuditEntryMessage,
  createEnvelope,
  DomainError,
  ErrorCodes,
  MessageTypes,
  Topics,
} from '@baton/contracts';
import { BatonKafka, type OutgoingMessage } from '@baton/kafka';
import { LOGGER } from '@baton/telemetry';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { GatewayEnv } from '../gateway.env';
import { createHash, randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { Counter } from 'prom-client';

/**
 * Why a request was refused at the door. Only the first two are failed
 * authentications (401) and count toward an address's limit; the others are
 * counted and audited.
 */
export type RefusalReason =
  | 'no_credential'
  | 'bad_credential'
  | 'wrong_workspace'
  | 'forbidden'
  | 'refused_by_service'
  | 'rate_limited';

const FAILED_AUTHENTICATION: ReadonlySet<RefusalReason> = new Set([
  'no_credential',
  'bad_credential',
]);

export interface Refusal {
  ip: string;
  reason: RefusalReason;
  status: number;
  /** The caller's workspace when it was authenticated (a 403); `system` otherwise. */
  workspaceId?: string;
  principal?: string;
  path: string;
}

/** One audit record's worth of refusals: one address, one workspace, one window. */
interface Aggregate {
  id: string;
  workspaceId: string;
  ip: string;
  windowStart: number;
  attempts: number;
  byReason: Partial<Record<RefusalReason, number>>;
  principals: Set<string>;
  paths: Set<string>;
  firstAt: number;
  lastAt: number;
}

const SAMPLES = 10;

/** Set on a request whose refusal was recorded here, so the audit middleware does not again. */
export const REFUSAL_RECORDED = Symbol('baton.refusal-recorded');

interface PublicRequest {
  ip?: string;
  path: string;
}

/**
 * Failed authentications per client address in fixed windows, and the
 * aggregate audit records of the refusals in each. Pure: the clock is passed in.
 * Memory is bounded: at most `maxAddresses` addresses are tracked per window
 * (beyond, addresses share one `*` bucket, which then limits them all together:
 * under a spray from that many addresses, refusing is the safe side).
 */
export class FailedAuthWindows {
  private windowStart = 0;
  private failures = new Map<string, number>();
  private aggregates = new Map<string, Aggregate>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly maxAddresses = 100_000,
  ) {}

  /** Seconds until `ip` may try again, or 0 when it is under the limit. */
  retryAfterSeconds(ip: string, now: number): number {
    this.roll(now);
    const failures = this.failures.get(this.bucketOf(ip)) ?? 0;
    if (failures < this.limit) return 0;
    return Math.max(1, Math.ceil((this.windowStart + this.windowMs - now) / 1000));
  }

  record(refusal: Refusal, now: number): void {
    this.roll(now);
    if (FAILED_AUTHENTICATION.has(refusal.reason)) {
      const bucket = this.bucketOf(refusal.ip);
      this.failures.set(bucket, (this.failures.get(bucket) ?? 0) + 1);
    }
    const workspaceId = refusal.workspaceId ?? 'system';
    let ip = refusal.ip;
    let key = `${this.windowStart}|${workspaceId}|${ip}`;
    if (!this.aggregates.has(key) && this.aggregates.size >= this.maxAddresses) {
      ip = '*';
      key = `${this.windowStart}|${workspaceId}|*`;
    }
    let aggregate = this.aggregates.get(key);
    if (!aggregate) {
      aggregate = {
        id: randomUUID(),
        workspaceId,
        ip,
        windowStart: this.windowStart,
        attempts: 0,
        byReason: {},
        principals: new Set(),
        paths: new Set(),
        firstAt: now,
        lastAt: now,
      };
      this.aggregates.set(key, aggregate);
    }
    aggregate.attempts += 1;
    aggregate.byReason[refusal.reason] = (aggregate.byReason[refusal.reason] ?? 0) + 1;
    if (refusal.principal && aggregate.principals.size < SAMPLES)
      aggregate.principals.add(refusal.principal);
    if (aggregate.paths.size < SAMPLES) aggregate.paths.add(refusal.path.slice(0, 200));
    aggregate.lastAt = now;
  }

  /** The aggregates of windows that have ended (all of them when `all`), removed from here. */
  takeFinished(now: number, all = false): AuditAggregate[] {
    const done: AuditAggregate[] = [];
    for (const [key, aggregate] of this.aggregates) {
      if (!all && aggregate.windowStart + this.windowMs > now) continue;
      this.aggregates.delete(key);
      done.push(toAuditAggregate(aggregate, this.windowMs));
    }
    return done;
  }

  /** Puts back aggregates that could not be published, for the next attempt. */
  restore(aggregates: AuditAggregate[]): void {
    for (const aggregate of aggregates) {
      if (this.aggregates.size >= this.maxAddresses) return;
      this.aggregates.set(`retry|${aggregate.id}`, fromAuditAggregate(aggregate));
    }
  }

  private bucketOf(ip: string): string {
    if (this.failures.has(ip) || this.failures.size < this.maxAddresses) return ip;
    return '*';
  }

  /** A new window forgets the counts of the last one (its aggregates wait to be published). */
  private roll(now: number): void {
    const start = now - (now % this.windowMs);
    if (start !== this.windowStart) {
      this.windowStart = start;
      this.failures = new Map();
    }
  }
}

export interface AuditAggregate {
  id: string;
  workspaceId: string;
  ip: string;
  windowStart: number;
  windowEnd: number;
  attempts: number;
  byReason: Partial<Record<RefusalReason, number>>;
  principals: string[];
  paths: string[];
  firstAt: number;
  lastAt: number;
}

function toAuditAggregate(a: Aggregate, windowMs: number): AuditAggregate {
  return {
    ...a,
    windowEnd: a.windowStart + windowMs,
    principals: [...a.principals],
    paths: [...a.paths],
  };
}

function fromAuditAggregate(a: AuditAggregate): Aggregate {
  return { ...a, principals: new Set(a.principals), paths: new Set(a.paths) };
}

/** The one audit record of an aggregate; its id is fixed, so publishing it again stores it once. */
export function aggregateAuditMessage(aggregate: AuditAggregate): OutgoingMessage {
  const data: AuditEntryMessage = {
    actor: aggregate.principals.length === 1 ? aggregate.principals[0] : 'anonymous',
    action: 'auth.refused',
    resource: `client/${aggregate.ip}`,
    outcome: 'denied',
    details: {
      ip: aggregate.ip,
      window_start: new Date(aggregate.windowStart).toISOString(),
      window_end: new Date(aggregate.windowEnd).toISOString(),
      attempts: aggregate.attempts,
      by_reason: aggregate.byReason,
      principals: aggregate.principals,
      paths: aggregate.paths,
      first_at: new Date(aggregate.firstAt).toISOString(),
      last_at: new Date(aggregate.lastAt).toISOString(),
    },
  };
  const envelope = createEnvelope({
    id: aggregate.id,
    type: MessageTypes.auditEntry,
    source: 'gateway',
    workspaceId: aggregate.workspaceId,
    // One correlation id per (address, window): the record stands for many requests.
    correlationId: `auth-refused-${createHash('sha256')
      .update(`${aggregate.workspaceId}|${aggregate.ip}|${aggregate.windowStart}`)
      .digest('hex')
      .slice(0, 32)}`,
    subject: data.resource,
    data,
  });
  return { topic: Topics.audit, key: aggregate.workspaceId, envelope };
}

const refusals = new Counter({
  name: 'baton_gateway_auth_refusals_total',
  help: 'Requests refused at the gateway door, by reason (no_credential and bad_credential are failed authentications)',
  labelNames: ['reason'],
});

/**
 * The gateway's answer to credential guessing and noise: failed
 * authentications are counted by reason (baton_gateway_auth_refusals_total),
 * an address with AUTH_FAILURE_LIMIT of them in a window of
 * AUTH_FAILURE_WINDOW_MS is answered 429 with Retry-After until the window
 * ends, and every refusal is audited as part of ONE record per (address,
 * workspace, window), published when the window ends. Counts are per gateway
 * replica: N replicas behind a balancer allow up to N × the limit.
 */
@Injectable()
export class FailedAuthLimiter implements OnModuleDestroy {
  private readonly windows: FailedAuthWindows;
  private readonly timer: NodeJS.Timeout;
  private flushing?: Promise<void>;

  constructor(
    @Inject(BatonKafka) private readonly kafka: BatonKafka,
    @Inject(LOGGER) private readonly logger: Logger,
    env: GatewayEnv,
  ) {
    this.windows = new FailedAuthWindows(env.AUTH_FAILURE_LIMIT, env.AUTH_FAILURE_WINDOW_MS);
    const every = Math.max(500, Math.min(10_000, Math.floor(this.windows.windowMs / 4)));
    this.timer = setInterval(() => void this.flush(false), every);
    this.timer.unref();
  }

  /** Throws a 429 (and sets Retry-After) when `ip` has failed too often in this window. */
  check(ip: string, setHeader: (name: string, value: string) => void, path: string): void {
    const now = Date.now();
    const wait = this.windows.retryAfterSeconds(ip, now);
    if (wait === 0) return;
    this.windows.record({ ip, reason: 'rate_limited', status: 429, path }, now);
    refusals.inc({ reason: 'rate_limited' });
    setHeader('Retry-After', String(wait));
    throw new DomainError(
      ErrorCodes.rateLimited,
      `too many failed authentications from this address; retry in ${wait} s`,
    );
  }

  record(refusal: Refusal): void {
    this.windows.record(refusal, Date.now());
    refusals.inc({ reason: refusal.reason });
  }

  /**
   * For public endpoints that authenticate a client themselves (the token
   * endpoint, the SAML ACS): 429 before any work while the address is
   * limited; see `failed` for what counts against it.
   */
  checkPublic(request: PublicRequest, response: { setHeader(name: string, value: string): void }) {
    this.check(
      request.ip ?? 'unknown',
      (name, value) => response.setHeader(name, value),
      request.path,
    );
  }

  /**
   * A failed authentication at a public endpoint (wrong client secret, a
   * refused SAML response): counted toward the address's limit like a bad
   * API key, and marked so the audit middleware does not count it again.
   */
  failed(request: PublicRequest, status: number): void {
    this.record({
      ip: request.ip ?? 'unknown',
      reason: 'bad_credential',
      status,
      path: request.path,
    });
    (request as unknown as Record<symbol, boolean>)[REFUSAL_RECORDED] = true;
  }

  /** The sign-in's answer; a refused one (401) is counted as `failed` before it is thrown on. */
  async counting<T>(request: PublicRequest, signIn: Promise<T>): Promise<T> {
    try {
      return await signIn;
    } catch (error) {
      if (error instanceof DomainError && error.code === ErrorCodes.unauthorized)
        this.failed(request, 401);
      throw error;
    }
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.flushing;
    await this.flush(true);
  }

  private flush(all: boolean): Promise<void> {
    if (this.flushing) return this.flushing;
    const finished = this.windows.takeFinished(Date.now(), all);
    if (finished.length === 0) return Promise.resolve();
    this.flushing = this.kafka
      .publish(finished.map(aggregateAuditMessage))
      .catch((error: Error) => {
        this.windows.restore(finished);
        this.logger.warn(
          { err: error, records: finished.length },
          'refusal audit not published yet',
        );
      })
      .finally(() => {
        this.flushing = undefined;
      });
    return this.flushing;
  }
}
