import {
  DomainError,
  Topics,
  WorkflowOpsEventTypes,
  createEnvelope,
  type Envelope,
  type WorkflowVersionQuery,
  type WorkflowVersionView,
} from '@baton/contracts';
import { UnitOfWork } from '@baton/database';
import { Injectable } from '@nestjs/common';
import { WorkflowTriggersRepository } from '../workflows/workflow-triggers.repository';
import { toVersionView } from './workflow-version.view';
import { WorkflowVersionsRepository } from './workflow-versions.repository';

/**
 * Makes an existing version the one new runs start with (a rollback, or a
 * roll forward again). Runs already started stay pinned to their version;
 * the workflow's trigger follows the active version.
 */
@Injectable()
export class ActivateVersionUseCase {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly versions: WorkflowVersionsRepository,
    private readonly triggers: WorkflowTriggersRepository,
  ) {}

  execute(query: WorkflowVersionQuery, request: Envelope): Promise<WorkflowVersionView> {
    const workspaceId = request.workspaceid;
    return this.uow.run(async (tx) => {
      const workflow = await this.versions.lockWorkflow(tx.manager, workspaceId, query.name);
      if (!workflow) throw DomainError.notFound('workflow', query.name);
      const version = await this.versions.findVersion(
        tx.manager,
        workspaceId,
        query.name,
        query.version,
      );
      if (!version)
        throw DomainError.notFound('workflow version', `${query.name}@${query.version}`);
      if (workflow.activeVersion === version.version) return toVersionView(version, true);

      await this.versions.setActive(tx.manager, workspaceId, query.name, version.version);
      await this.triggers.sync(tx.manager, version);
      tx.audit(
        {
          action: 'workflow.activate',
          target: `workflow/${query.name}`,
          details: { version: version.version },
        },
        request,
      );
      tx.publish({
        topic: Topics.workflowEvents,
        key: `${workspaceId}/${query.name}`,
        envelope: createEnvelope({
          type: WorkflowOpsEventTypes.versionActivated,
          source: 'workflow-engine',
          subject: query.name,
          workspaceId,
          causedBy: request,
          data: {
            workflow: query.name,
            version: version.version,
            previous_version: workflow.activeVersion,
          },
        }),
      });
      return toVersionView(version, true);
    });
  }
}
