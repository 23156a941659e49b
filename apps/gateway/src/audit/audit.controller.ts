import {
  ListAuditPageQuery,
  MessageTypes,
  Topics,
  validateInto,
  VerifyAuditQuery,
  type AuditVerifyView,
  type Page,
} from '@baton/contracts';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, type Caller } from '../auth/caller';
import { PlatformClient } from '../platform/platform-client';

@ApiTags('security')
@ApiBearerAuth()
@Controller('v1/audit')
export class AuditController {
  constructor(private readonly platform: PlatformClient) {}

  /** The workspace's audit trail, newest first. */
  @Get()
  list(
    @Query() query: Record<string, string>,
    @CurrentCaller() caller: Caller,
  ): Promise<Page<unknown>> {
    const filter = validateInto(ListAuditPageQuery, query, 'query', { convertTypes: true });
    return this.platform.send(Topics.securityCommands, MessageTypes.auditList, filter, caller);
  }

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
    return this.platform.send(Topics.securityCommands, MessageTypes.auditVerify, filter, caller);
  }
}
