import {
  ListAuditPageQuery,
  MessageTypes,
  SetWorkspaceLimitsCommand,
  VerifyApiKeyQuery,
  WorkspaceLimitsQuery,
} from '@baton/contracts';
import { ServiceCommandServer } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { VerifyApiKeyUseCase } from '../api-keys/verify-api-key.usecase';
import { ListAuditUseCase } from '../audit/list-audit.usecase';
import { WorkspaceLimitsUseCase } from '../limits/workspace-limits.usecase';

/** The Kafka transport of security-manager: key verification and audit queries from the gateway. */
@Injectable()
export class SecurityCommandsConsumer {
  constructor(
    commands: ServiceCommandServer,
    verifyApiKey: VerifyApiKeyUseCase,
    listAudit: ListAuditUseCase,
    limits: WorkspaceLimitsUseCase,
  ) {
    commands
      .handle(MessageTypes.apiKeyVerify, VerifyApiKeyQuery, (query) => verifyApiKey.execute(query))
      .handle(MessageTypes.auditList, ListAuditPageQuery, (query, envelope) =>
        listAudit.execute(query, envelope.workspaceid),
      )
      .handle(MessageTypes.limitsGet, WorkspaceLimitsQuery, (query) => limits.get(query))
      .handle(MessageTypes.limitsSet, SetWorkspaceLimitsCommand, (command) => limits.set(command))
      .handle(MessageTypes.limitsReset, WorkspaceLimitsQuery, (query) => limits.reset(query));
  }
}
