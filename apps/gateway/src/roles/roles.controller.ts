import { roleSummaries, type Page, type RoleView } from '@baton/contracts';
import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';

/** The roles and their permissions, straight from the table the gateway enforces. */
@ApiTags('security')
@ApiBearerAuth()
@Controller('v1/roles')
export class RolesController {
  @Get()
  list(): Page<RoleView> {
    return { items: roleSummaries(), next_cursor: null };
  }
}
