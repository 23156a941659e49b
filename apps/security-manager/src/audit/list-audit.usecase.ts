import {
  decodeCursor,
  DomainError,
  toPage,
  type AuditEntryView,
  type ListAuditPageQuery,
  type Page,
} from '@baton/contracts';
import { UnitOfWork } from '@baton/database';
import { Injectable } from '@nestjs/common';
import { auditPosition, parseAuditPosition, toAuditEntryView } from './audit-entry.view';
import { AuditRepository } from './audit.repository';

@Injectable()
export class ListAuditUseCase {
  constructor(
    private readonly audit: AuditRepository,
    private readonly uow: UnitOfWork,
  ) {}

  async execute(query: ListAuditPageQuery, workspaceId: string): Promise<Page<AuditEntryView>> {
    const limit = query.limit ?? 50;
    const position = decodeCursor(query.cursor);
    const before = parseAuditPosition(position);
    if (position !== undefined && !before)
      throw DomainError.invalid('cursor', 'is not a cursor this API returned');
    const rows = await this.audit.list(workspaceId, {
      action: query.action,
      before,
      limit: limit + 1,
    });
    // Reading the trail is itself audited, before anything is answered: no read goes unrecorded.
    await this.uow.run(async (tx) =>
      tx.audit({ action: 'audit.read', target: 'audit', details: { ...query } }),
    );
    return toPage(rows, limit, toAuditEntryView, auditPosition);
  }
}
