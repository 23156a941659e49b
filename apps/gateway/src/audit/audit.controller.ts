import {
  ListAuditPageQuery,
  MessageTypes,
  Topics,
  validateInto,
  VerifyAuditQuery,
  type AuditVerifyView,
} from '@baton/contracts';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, type Caller } from '../auth/caller';
import { ResourceRoutes } from '../resources/resource-routes';

@ApiTags('security')
@ApiBearerAuth()
@Controller('v1/audit')
export class AuditController extends ResourceRoutes({
  topic: Topics.securityCommands,
  // The workspace's audit trail, newest first.
  list: MessageTypes.auditList,
  listQuery: ListAuditPageQuery,
}) {
  /**
   * Recomputes the workspace's audit hash chain: `intact` with the count of
   * records, or the first broken link (its seq and id) and why it is broken.
   */
  @Get('verify')
  verify(
    @Query() query: Record<string, string>,
    @CurrentCaller() caller: Caller,
  ): Promise<AuditVerifyView> {
    const filter = validateInto(VerifyAuditQuery, query, 'query', { convertTypes: true });
    return this.commands.send(MessageTypes.auditVerify, filter, caller);
  }
}
