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

  async execute(workspaceId: string): Promise<AuditVerifyView> {
    await this.uow.run(async (tx) => tx.audit({ action: 'audit.verify', target: 'audit' }));
    const head = await this.audit.head(workspaceId);
    let last = { seq: 0, hash: '0'.repeat(64) };
    for (;;) {
      const links = await this.audit.links(workspaceId, last.seq, head.seq, PAGE);
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
    if (last.seq !== head.seq) {
      return {
        intact: false,
        count: last.seq,
        head_hash: head.hash,
        broken: {
          seq: last.seq + 1,
          id: null,
          reason: `records ${last.seq + 1} to ${head.seq} are missing`,
        },
      };
    }
    if (last.hash !== head.hash) {
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
    return { intact: true, count: head.seq, head_hash: head.hash };
  }
}
