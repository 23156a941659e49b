import {
  AGENT_TASK_TOPIC_PREFIX,
  DomainError,
  ErrorCodes,
  type IssuedWorkerCredentialView,
  type WorkerCredentialCommand,
} from '@baton/contracts';
import { UnitOfWork } from '@baton/database';
import {
  BatonKafka,
  issueWorkerCredential,
  revokeWorkerCredential,
  ScramAlterationError,
} from '@baton/kafka';
import { LOGGER } from '@baton/telemetry';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { auditCommand } from '../audit/audit-in-transaction';
import { WorkspacesRepository } from '../workspaces/workspaces.repository';

/**
 * A workspace's agent-worker Kafka credential (ADR 0018, ADR 0030): the SCRAM
 * user `baton-worker-<workspace>` with a fresh password and the ACLs of its
 * workspace only, made through security-manager's own Kafka principal (it
 * holds ALTER on the cluster for this). The password is answered once and
 * kept nowhere in Baton; the audit trail records who issued or revoked it.
 */
@Injectable()
export class WorkerCredentialsUseCase {
  constructor(
    @Inject(LOGGER) private readonly log: Logger,
    @Inject(BatonKafka) private readonly kafka: BatonKafka,
    private readonly workspaces: WorkspacesRepository,
    private readonly uow: UnitOfWork,
  ) {}

  async issue(command: WorkerCredentialCommand): Promise<IssuedWorkerCredentialView> {
    await this.requireSaslAndWorkspace(command.workspace_id);
    const issued = await this.onBroker(() =>
      issueWorkerCredential(this.kafka.kafka, command.workspace_id),
    );
    const issuedAt = new Date().toISOString();
    await this.uow.run((tx) =>
      auditCommand(tx.manager, {
        action: 'worker_credential.issue',
        resource: `workspaces/${command.workspace_id}/worker-credentials`,
        details: { username: issued.username, acl_bindings: issued.aclBindings },
      }),
    );
    return {
      workspace_id: command.workspace_id,
      mechanism: issued.mechanism,
      username: issued.username,
      password: issued.password,
      ingress_topic: issued.ingressTopic,
      task_topic_prefix: `${AGENT_TASK_TOPIC_PREFIX}${command.workspace_id}.`,
      consumer_group_prefix: `baton-agent-${command.workspace_id}-`,
      issued_at: issuedAt,
    };
  }

  async revoke(command: WorkerCredentialCommand): Promise<{ revoked: boolean }> {
    await this.requireSaslAndWorkspace(command.workspace_id);
    const revoked = await this.onBroker(() =>
      revokeWorkerCredential(this.kafka.kafka, command.workspace_id),
    );
    await this.uow.run((tx) =>
      auditCommand(tx.manager, {
        action: 'worker_credential.revoke',
        resource: `workspaces/${command.workspace_id}/worker-credentials`,
        details: { existed: revoked },
      }),
    );
    return { revoked };
  }

  private async requireSaslAndWorkspace(workspaceId: string): Promise<void> {
    if (!this.kafka.options.security?.sasl) {
      throw new DomainError(
        'KAFKA.NO_CREDENTIALS',
        'the Kafka broker does not authenticate clients (security-manager has no KAFKA_SASL_MECHANISM): ' +
          'workers connect without a credential',
      );
    }
    if (!(await this.workspaces.isLive(workspaceId))) {
      throw DomainError.notFound('workspace', workspaceId);
    }
  }

  /** The broker's refusals become a clear 503; its own words go to the log only. */
  private async onBroker<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      const results = error instanceof ScramAlterationError ? error.results : undefined;
      this.log.error(
        { err: { message: (error as Error)?.message }, results },
        'issuing a worker credential on the broker failed',
      );
      const why =
        error instanceof ScramAlterationError && error.unauthorized
          ? "security-manager's Kafka principal may not alter the cluster (grant its ACLs: npm run kafka:acls)"
          : 'the Kafka broker did not complete the change; retry later';
      throw new DomainError(ErrorCodes.unavailable, why);
    }
  }
}
