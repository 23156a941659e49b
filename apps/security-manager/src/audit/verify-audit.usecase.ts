import type { AuditVerifyView } from '@baton/contracts';
import { UnitOfWork } from '@baton/database';
import { Injectable } from '@nestjs/common';
import { firstBrokenLink } from './audit-chain';
import { AuditRepository } from './audit.repository';

const PAGE = 1_000;

/**
 * Recomputes a workspace's audit chain from its first record to the head as
 * it was when the check began (records appended meanwhile are for the next
 * check), and names the first link that does not hold.
 */
@Injectable()
export class VerifyAuditUseCase {
  constructor(
    private readonly audit: AuditRepository,
    private readonly uow: UnitOfWork,
  ) {}

  async execute(workspaceId: string, upToSeq?: number): Promise<AuditVerifyView> {
    await this.uow.run(async (tx) => tx.audit({ action: 'audit.verify', target: 'audit' }));
    const head = await this.audit.head(workspaceId);
    const target = upToSeq !== undefined && upToSeq < head.seq ? upToSeq : head.seq;
    let last = { seq: 0, hash: '0'.repeat(64) };
    for (;;) {
      const links = await this.audit.links(workspaceId, last.seq, target, PAGE);
      const result = firstBrokenLink(links, last);
      if (result.broken) {
        return {
          intact: false,
          count: result.last.seq,
          head_hash: head.hash,
          broken: result.broken,
        };
      }
      last = result.last;
      if (links.length < PAGE) break;
    }
    if (last.seq !== target) {
      return {
        intact: false,
        count: last.seq,
        head_hash: head.hash,
        broken: {
          seq: last.seq + 1,
          id: null,
          reason: `records ${last.seq + 1} to ${target} are missing`,
        },
      };
    }
    if (target === head.seq && last.hash !== head.hash) {
      return {
        intact: false,
        count: last.seq,
        head_hash: head.hash,
        broken: {
          seq: head.seq,
          id: null,
          reason: 'the chain head does not match its last record',
        },
      };
    }
    return { intact: true, count: target, head_hash: last.hash };
  }
}
