import {
  ListAuditPageQuery,
  MessageTypes,
  VerifyApiKeyQuery,
  VerifyAuditQuery,
} from '@baton/contracts';
import { ServiceCommandServer } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { VerifyApiKeyUseCase } from '../api-keys/verify-api-key.usecase';
import { ListAuditUseCase } from '../audit/list-audit.usecase';
import { VerifyAuditUseCase } from '../audit/verify-audit.usecase';

/** The Kafka transport of security-manager: key verification and audit queries from the gateway. */
@Injectable()
export class SecurityCommandsConsumer {
  constructor(
    commands: ServiceCommandServer,
    verifyApiKey: VerifyApiKeyUseCase,
    listAudit: ListAuditUseCase,
    verifyAudit: VerifyAuditUseCase,
  ) {
    commands
      .handle(MessageTypes.apiKeyVerify, VerifyApiKeyQuery, (query) => verifyApiKey.execute(query))
      .handle(MessageTypes.auditList, ListAuditPageQuery, (query, envelope) =>
        listAudit.execute(query, envelope.workspaceid),
      )
      .handle(MessageTypes.auditVerify, VerifyAuditQuery, (query, envelope) =>
        verifyAudit.execute(envelope.workspaceid, query.up_to_seq),
      );
  }
}
