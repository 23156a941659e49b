import {
  CreateRetentionPolicyCommand,
  DomainError,
  EventRoutingMessageTypes as Types,
  PageQuery,
  RetentionPolicyIdQuery,
  type RetentionPolicyView,
  onePage,
} from '@baton/contracts';
import type { CommandRegistry } from '@baton/kafka';
import { CommandHandlers } from '@baton/service-kit';
import { parseDuration } from '@baton/workflow-dsl';
import { UnitOfWork } from '@baton/database';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { RetentionPolicyEntity } from './retention-policy.entity';
import { RetentionRepository } from './retention.repository';

const MIN_AGE_MS = 1_000;
const MAX_AGE_MS = 100 * 365 * 86_400_000;

@Injectable()
export class RetentionCommandsHandlers extends CommandHandlers {
  constructor(
    private readonly retention: RetentionRepository,
    private readonly uow: UnitOfWork,
  ) {
    super();
  }

  register(server: CommandRegistry): void {
    server
      .handle(Types.retentionCreate, CreateRetentionPolicyCommand, async (command, envelope) => {
        const maxAgeMs = maxAge(command.max_age);
        const result = await this.uow.run(async (tx) => {
          tx.audit({
            action: 'retention.put',
            target: `retention-policy/${command.type}`,
            details: { max_age: command.max_age },
          });
          return this.retention.upsert(
            randomUUID(),
            envelope.workspaceid,
            command.type,
            command.max_age,
            maxAgeMs,
            tx.manager,
          );
        });
        return { created: result.created, policy: toRetentionView(result.policy) };
      })
      .handle(Types.retentionList, PageQuery, async (_query, envelope) =>
        onePage((await this.retention.list(envelope.workspaceid)).map(toRetentionView)),
      )
      .handle(Types.retentionDelete, RetentionPolicyIdQuery, async (query, envelope) => {
        return this.uow.run(async (tx) => {
          if (!(await this.retention.delete(envelope.workspaceid, query.id, tx.manager))) {
            throw DomainError.notFound('retention policy', query.id);
          }
          tx.audit({ action: 'retention.delete', target: `retention-policy/${query.id}` });
          return { deleted: true };
        });
      });
  }
}

function maxAge(value: string): number {
  let ms: number;
  try {
    ms = parseDuration(value);
  } catch {
    throw DomainError.invalid('max_age', `'${value}' is not a duration like 30d, 12h or 90m`);
  }
  if (ms < MIN_AGE_MS || ms > MAX_AGE_MS)
    throw DomainError.invalid('max_age', 'must be between 1s and 100 years');
  return ms;
}

function toRetentionView(policy: RetentionPolicyEntity): RetentionPolicyView {
  return {
    id: policy.id,
    type: policy.type,
    max_age: policy.maxAge,
    max_age_ms: Number(policy.maxAgeMs),
    created_at: policy.createdAt.toISOString(),
    deleted: Number(policy.deleted),
  };
}
