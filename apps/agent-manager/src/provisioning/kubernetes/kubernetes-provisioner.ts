import { Poller } from '@baton/database';
import { BatonKafka } from '@baton/kafka';
import { LOGGER } from '@baton/telemetry';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { ProvisionedAgentsRepository } from '../provisioned-agents.repository';
import { ProvisionerLead, TaskBacklog } from '../provisioner-support';
import { desiredInstances, nextCount, type ScalingState } from '../scaling';
import {
  deploymentName,
  MANAGED_SELECTOR,
  type DeploymentTarget,
  type ManifestSettings,
} from './deployment-manifest';
import { belongsTo, planDeployment, type ObservedDeployment } from './deployment-plan';
import {
  DeploymentStatuses,
  type DeploymentRow,
  type DeploymentState,
} from './deployment-statuses.repository';
import { KubernetesError, type DeploymentsApi } from './deployments-api';
import { parseKubernetesProvisioner } from './kubernetes-spec';

/** Every tick lists the Deployments of each namespace in use: one request per namespace. */
const TICK_MS = 2_000;

export const DEPLOYMENTS_API = Symbol('DEPLOYMENTS_API');
export const KUBERNETES_SETTINGS = Symbol('KUBERNETES_SETTINGS');

export interface KubernetesSettings extends ManifestSettings {
  namespaces: string[];
}

interface Wanted extends DeploymentTarget {
  row: DeploymentRow;
  min: number;
  max: number;
}

type Listing = Map<string, ObservedDeployment> | KubernetesError;

/**
 * The `kubernetes` provisioner: for worker agents whose config has
 * `provisioner: { type: kubernetes, image, ... }`, agent-manager keeps one
 * Deployment per agent, scaled between min_instances and max_instances by
 * the same backlog rule as the process provisioner, and deletes it when the
 * agent is decommissioned. A failing call is recorded on the agent
 * (`provisioning.error`) and retried on the next tick.
 */
@Injectable()
export class KubernetesProvisioner extends Poller {
  private readonly lead: ProvisionerLead;
  private readonly backlog: TaskBacklog;
  private readonly scaling = new Map<string, ScalingState>();
  /** What was last written per agent, so an unchanged state is not written every tick. */
  private readonly written = new Map<string, string>();

  constructor(
    @Inject(DEPLOYMENTS_API) private readonly api: DeploymentsApi,
    @Inject(KUBERNETES_SETTINGS) private readonly settings: KubernetesSettings,
    private readonly statuses: DeploymentStatuses,
    @Inject(BatonKafka) kafka: BatonKafka,
    @InjectDataSource() dataSource: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly agents: ProvisionedAgentsRepository,
  ) {
    super({
      round: () => this.tick(),
      intervalMs: TICK_MS,
      onError: (error) => logger.warn({ err: error }, 'kubernetes provisioning failed; will retry'),
    });
    this.lead = new ProvisionerLead(dataSource, 'baton-agent-kubernetes-provisioner');
    this.backlog = new TaskBacklog(kafka);
  }

  override onApplicationBootstrap(): void {
    this.logger.info(
      { server: this.api.server, namespaces: this.settings.namespaces },
      'kubernetes provisioning on',
    );
    super.onApplicationBootstrap();
  }

  override async onModuleDestroy(): Promise<void> {
    // Deployments outlive agent-manager: a restart must not stop the agents' pods.
    await super.onModuleDestroy();
    await this.backlog.close();
    await this.lead.release();
  }

  private async tick(): Promise<void> {
    if (!(await this.lead.held())) return;
    const wanted = await this.wanted();
    const live = await this.statuses.live();
    const namespaces = new Set([
      ...wanted.map((w) => w.row.namespace),
      ...live.map((r) => r.namespace),
    ]);
    const listings = new Map<string, Listing>();
    for (const namespace of namespaces) listings.set(namespace, await this.list(namespace));
    // Removals first: an agent moved to another namespace frees its old row before the new one.
    for (const row of live) {
      const still = wanted.find((w) => sameAgent(w.row, row));
      if (still && still.row.namespace === row.namespace && still.row.name === row.name) continue;
      await this.remove(row, listings.get(row.namespace)!);
    }
    for (const target of wanted) {
      const listing = listings.get(target.row.namespace)!;
      const known = live.some(
        (r) =>
          sameAgent(r, target.row) &&
          r.namespace === target.row.namespace &&
          r.name === target.row.name,
      );
      await this.ensure(target, listing, known);
    }
  }

  private async wanted(): Promise<Wanted[]> {
    const agents = await this.agents.onKubernetes();
    const wanted: Wanted[] = [];
    for (const agent of agents) {
      const parsed = parseKubernetesProvisioner(
        agent.config.provisioner as Record<string, unknown>,
        this.settings.namespaces,
      );
      // Only a namespace the operator has since withdrawn gets here: its Deployment is removed.
      if (!parsed.ok) continue;
      wanted.push({
        workspaceId: agent.workspace_id,
        agent: agent.name,
        spec: parsed.spec,
        min: agent.min_instances,
        max: agent.max_instances,
        row: {
          workspace_id: agent.workspace_id,
          agent: agent.name,
          namespace: parsed.spec.namespace,
          name: deploymentName(agent.workspace_id, agent.name),
        },
      });
    }
    return wanted;
  }

  private async list(namespace: string): Promise<Listing> {
    try {
      const items = await this.api.list(namespace, MANAGED_SELECTOR);
      return new Map(items.map((d) => [d.name, d]));
    } catch (error) {
      return asKubernetesError(error);
    }
  }

  private async remove(row: DeploymentRow, listing: Listing): Promise<void> {
    try {
      if (listing instanceof KubernetesError) throw listing;
      if (listing.has(row.name)) await this.api.remove(row.namespace, row.name);
      await this.statuses.deleted(row);
      this.written.delete(key(row));
      this.scaling.delete(key(row));
      this.logger.info(
        { agent: row.agent, workspace_id: row.workspace_id, deployment: row.name },
        'agent deployment deleted',
      );
    } catch (error) {
      await this.failed(row, error, { replicas: null, readyReplicas: null });
    }
  }

  private async ensure(target: Wanted, listing: Listing, known: boolean): Promise<void> {
    const { row } = target;
    let previous: Omit<DeploymentState, 'error'> = { replicas: null, readyReplicas: null };
    try {
      if (!known) {
        await this.statuses.target(row);
        this.written.delete(key(row));
      }
      if (listing instanceof KubernetesError) throw listing;
      const observed = listing.get(row.name);
      if (observed && !belongsTo(observed, target)) {
        throw new KubernetesError(null, `deployment ${row.name} belongs to another agent`);
      }
      const replicas = observed ? await this.decide(target, observed.replicas) : target.min;
      if (observed)
        previous = { replicas: observed.replicas, readyReplicas: observed.readyReplicas };
      for (const action of planDeployment(target, this.settings, observed, replicas)) {
        if (action.kind === 'create') await this.api.create(action.manifest);
        else if (action.kind === 'update-template') {
          await this.api.patch(row.namespace, row.name, action.patch);
        } else await this.api.scale(row.namespace, row.name, action.patch);
        this.logger.info(
          {
            agent: row.agent,
            workspace_id: row.workspace_id,
            deployment: row.name,
            action: action.kind,
            replicas,
          },
          'agent deployment changed',
        );
      }
      await this.write(row, { replicas, readyReplicas: observed?.readyReplicas ?? 0, error: null });
    } catch (error) {
      await this.failed(row, error, previous);
    }
  }

  /** The replica count the shared scaling rule asks for (up at once, down after the cooldown). */
  private async decide(target: Wanted, current: number): Promise<number> {
    const backlog = await this.backlog.of(target.workspaceId, target.agent);
    const desired = desiredInstances(backlog, target.min, target.max, target.spec.tasksPerInstance);
    const state = this.scaling.get(key(target.row)) ?? { lastBusyAt: Date.now() };
    const next = nextCount(current, desired, state, Date.now(), target.spec.cooldownMs);
    this.scaling.set(key(target.row), next.state);
    return next.count;
  }

  private async failed(
    row: DeploymentRow,
    error: unknown,
    state: Omit<DeploymentState, 'error'>,
  ): Promise<void> {
    if (!(error instanceof KubernetesError)) throw error;
    const changed = await this.write(row, { ...state, error: error.message });
    if (changed) {
      this.logger.warn(
        {
          agent: row.agent,
          workspace_id: row.workspace_id,
          deployment: row.name,
          status: error.status,
        },
        error.message,
      );
    }
  }

  private async write(row: DeploymentRow, state: DeploymentState): Promise<boolean> {
    const snapshot = JSON.stringify(state);
    if (this.written.get(key(row)) === snapshot) return false;
    await this.statuses.record(row, state);
    this.written.set(key(row), snapshot);
    return true;
  }
}

const key = (row: DeploymentRow): string => `${row.workspace_id}/${row.agent}`;
const sameAgent = (a: DeploymentRow, b: DeploymentRow): boolean =>
  a.workspace_id === b.workspace_id && a.agent === b.agent;

function asKubernetesError(error: unknown): KubernetesError {
  return error instanceof KubernetesError
    ? error
    : new KubernetesError(null, error instanceof Error ? error.message : String(error));
}
