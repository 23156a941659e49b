import { Poller } from '@baton/database';
import { BatonKafka } from '@baton/kafka';
import { LOGGER } from '@baton/telemetry';
import { InjectDataSource } from '@nestjs/typeorm';
import { Inject, Injectable } from '@nestjs/common';
import { AgentManagerEnv } from '../agent-manager.env';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { provisionerCommands } from '../agent-manager.env';
import {
  ProvisionedAgentsRepository,
  type ProvisionedAgentRow,
} from './provisioned-agents.repository';
import { AgentInstancesRepository } from '../instances/agent-instances.repository';
import { ProvisionerLead, TaskBacklog } from './provisioner-support';
import {
  desiredInstances,
  nextCount,
  parseProvisioner,
  restartDelayMs,
  type ProcessProvisionerSpec,
  type ScalingState,
} from './scaling';
import {
  processWorkerKafkaEnv,
  WORKER_KAFKA_ENV,
  type WorkerKafkaSettings,
} from './worker-kafka-credential';

const TICK_MS = 1_000;
const KILL_AFTER_MS = 20_000;
/** How long a pool whose workspace has no Kafka credential waits before it looks again. */
const NO_CREDENTIAL_RETRY_MS = 10_000;
/** A process that lived this long was not crash-looping. */
const STABLE_AFTER_MS = 60_000;
/** Only environment a provisioned process inherits: agent-manager's own secrets stay with it. */
const INHERITED_ENV = ['PATH', 'HOME', 'LANG', 'TZ', 'NODE_OPTIONS', 'NODE_ENV'];

interface Instance {
  id: string;
  child: ChildProcess;
  startedAt: number;
  stopping: boolean;
  exited: Promise<void>;
}

interface Pool {
  workspaceId: string;
  name: string;
  instances: Instance[];
  scaling: ScalingState;
  crashes: number;
  nextStartAt: number;
}

/**
 * The `process` provisioner: for worker agents whose config has
 * `provisioner: { type: process, command: [...] }`, agent-manager starts the
 * instances itself, keeps them between min_instances and max_instances by the
 * backlog (the consumer lag of the agent's group), restarts the ones that die
 * (with backoff) and captures their output into its own log. One replica
 * provisions at a time (a Postgres advisory lock).
 */
@Injectable()
export class ProcessProvisioner extends Poller {
  private readonly pools = new Map<string, Pool>();
  private readonly commands: string[];
  private readonly brokers: string;
  private readonly workerKafka: WorkerKafkaSettings;
  private readonly lead: ProvisionerLead;
  private readonly backlog: TaskBacklog;
  private readonly heartbeatTtlMs: number;
  private stopped = false;

  constructor(
    @Inject(BatonKafka) kafka: BatonKafka,
    @InjectDataSource() dataSource: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly agents: ProvisionedAgentsRepository,
    private readonly instanceRows: AgentInstancesRepository,
    env: AgentManagerEnv,
  ) {
    super({
      round: () => this.tick(),
      intervalMs: TICK_MS,
      onError: (error) => logger.warn({ err: error }, 'provisioning failed; will retry'),
    });
    this.commands = provisionerCommands(env.AGENT_PROVISIONER_COMMANDS);
    this.brokers = env.KAFKA_BROKERS;
    this.workerKafka = {
      saslMechanism: env.KAFKA_SASL_MECHANISM,
      credentialsDir: env.AGENT_WORKER_KAFKA_CREDENTIALS_DIR,
      tls: env.KAFKA_TLS,
      tlsCaFile: env.KAFKA_TLS_CA_FILE,
      tlsRejectUnauthorized: env.KAFKA_TLS_REJECT_UNAUTHORIZED,
    };
    this.heartbeatTtlMs = env.AGENT_HEARTBEAT_TTL_MS;
    this.lead = new ProvisionerLead(dataSource, 'baton-agent-provisioner');
    this.backlog = new TaskBacklog(kafka);
  }

  override onApplicationBootstrap(): void {
    if (this.commands.length === 0) return; // nothing could be provisioned
    super.onApplicationBootstrap();
  }

  override async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    await super.onModuleDestroy();
    const all = [...this.pools.values()].flatMap((pool) => pool.instances);
    for (const instance of all) this.stop(instance);
    await Promise.race([
      Promise.all(all.map((i) => i.exited)),
      new Promise((resolve) => setTimeout(resolve, 5_000).unref()),
    ]);
    for (const instance of all) instance.child.kill('SIGKILL');
    await this.backlog.close();
    await this.lead.release();
  }

  private async tick(): Promise<void> {
    if (!(await this.lead.held())) return;
    const agents = await this.agents.withProvisioner();
    const wanted = new Set<string>();
    for (const agent of agents) {
      const parsed = parseProvisioner(agent.config.provisioner, this.commands);
      if (!parsed.ok || !parsed.spec) continue;
      const key = `${agent.workspace_id}/${agent.name}`;
      wanted.add(key);
      await this.scale(key, agent, parsed.spec);
    }
    for (const [key, pool] of this.pools) {
      if (wanted.has(key)) continue;
      for (const instance of pool.instances) this.stop(instance);
      if (pool.instances.length === 0) this.pools.delete(key);
    }
  }

  private async scale(
    key: string,
    agent: ProvisionedAgentRow,
    spec: ProcessProvisionerSpec,
  ): Promise<void> {
    let pool = this.pools.get(key);
    if (!pool) {
      pool = {
        workspaceId: agent.workspace_id,
        name: agent.name,
        instances: [],
        scaling: { lastBusyAt: Date.now() },
        crashes: 0,
        nextStartAt: 0,
      };
      this.pools.set(key, pool);
    }
    await this.replaceSilent(pool);
    const backlog = await this.backlog.of(agent.workspace_id, agent.name);
    const desired = desiredInstances(
      backlog,
      agent.min_instances,
      agent.max_instances,
      spec.tasksPerInstance,
    );
    const alive = pool.instances.filter((i) => !i.stopping);
    const next = nextCount(alive.length, desired, pool.scaling, Date.now(), spec.cooldownMs);
    pool.scaling = next.state;
    if (next.count !== alive.length) {
      this.logger.info(
        {
          agent: agent.name,
          workspace_id: agent.workspace_id,
          backlog,
          from: alive.length,
          to: next.count,
        },
        'scaling agent instances',
      );
    }
    for (let n = alive.length; n < next.count && Date.now() >= pool.nextStartAt; n++) {
      await this.start(pool, spec);
    }
    for (const instance of alive.slice(next.count).reverse()) this.stop(instance);
  }

  private async start(pool: Pool, spec: ProcessProvisionerSpec): Promise<void> {
    // On a SASL broker, the workspace's own worker principal (ADR 0018), never agent-manager's.
    const kafka = processWorkerKafkaEnv(this.workerKafka, pool.workspaceId);
    if (!kafka.ok) {
      pool.nextStartAt = Date.now() + NO_CREDENTIAL_RETRY_MS;
      this.logger.warn(
        { agent: pool.name, workspace_id: pool.workspaceId, reason: kafka.reason },
        'not starting an agent instance: its workspace has no Kafka credential',
      );
      return;
    }
    const id = `${pool.name}-${randomUUID().slice(0, 8)}`;
    const env: Record<string, string> = {};
    for (const name of INHERITED_ENV) if (process.env[name]) env[name] = process.env[name]!;
    const own = Object.entries(spec.env).filter(([name]) => !WORKER_KAFKA_ENV.test(name));
    Object.assign(env, Object.fromEntries(own), kafka.env, {
      KAFKA_BROKERS: this.brokers,
      BATON_AGENT: pool.name,
      BATON_WORKSPACE: pool.workspaceId,
      BATON_INSTANCE_ID: id,
    });
    const child = spawn(spec.command[0], spec.command.slice(1), {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const log = this.logger.child({
      agent: pool.name,
      workspace_id: pool.workspaceId,
      instance_id: id,
    });
    for (const [stream, source] of [
      ['stdout', child.stdout],
      ['stderr', child.stderr],
    ] as const) {
      createInterface({ input: source }).on('line', (line) =>
        log.info({ stream, pid: child.pid }, line),
      );
    }
    const instance: Instance = {
      id,
      child,
      startedAt: Date.now(),
      stopping: false,
      exited: new Promise((resolve) => {
        child.once('exit', (code, signal) => {
          void this.exited(pool, instance, code, signal).finally(resolve);
        });
        child.once('error', (error) => log.error({ err: error }, 'could not start the instance'));
      }),
    };
    pool.instances.push(instance);
    log.info({ pid: child.pid, command: spec.command }, 'agent instance started');
    if (child.pid !== undefined) {
      // Listed (with its pid) from its first heartbeat on; epoch keeps it out of the list until then.
      await this.instanceRows.registerProcess(pool.workspaceId, pool.name, id, child.pid);
    }
  }

  /**
   * An instance that stopped beating is frozen or hung even though its process
   * lives: kill it, and exited() starts a replacement. Its tasks move on when
   * their lease (the worker's Kafka session) ends, which needs no help from here.
   */
  private async replaceSilent(pool: Pool): Promise<void> {
    const old = pool.instances.filter(
      (i) => !i.stopping && Date.now() - i.startedAt > this.heartbeatTtlMs,
    );
    if (old.length === 0) return;
    const silent = await this.instanceRows.silent(
      pool.workspaceId,
      pool.name,
      old.map((i) => i.id),
      this.heartbeatTtlMs,
    );
    for (const instance_id of silent) {
      const instance = old.find((i) => i.id === instance_id);
      this.logger.warn(
        { agent: pool.name, workspace_id: pool.workspaceId, instance_id, pid: instance?.child.pid },
        'agent instance missed its heartbeats; replacing it',
      );
      instance?.child.kill('SIGKILL');
    }
  }

  private stop(instance: Instance): void {
    if (instance.stopping) return;
    instance.stopping = true;
    instance.child.kill('SIGTERM');
    setTimeout(() => instance.child.kill('SIGKILL'), KILL_AFTER_MS).unref();
  }

  private async exited(
    pool: Pool,
    instance: Instance,
    code: number | null,
    signal: NodeJS.Signals | null,
  ): Promise<void> {
    pool.instances = pool.instances.filter((i) => i !== instance);
    if (!instance.stopping && !this.stopped) {
      pool.crashes = Date.now() - instance.startedAt > STABLE_AFTER_MS ? 1 : pool.crashes + 1;
      pool.nextStartAt = Date.now() + restartDelayMs(pool.crashes);
      this.logger.warn(
        {
          agent: pool.name,
          instance_id: instance.id,
          code,
          signal,
          restart_in_ms: restartDelayMs(pool.crashes),
        },
        'agent instance died; replacing it',
      );
    }
    await this.instanceRows.remove(pool.workspaceId, pool.name, instance.id).catch(() => undefined);
  }
}
