import {
  CreateRetentionPolicyCommand,
  EventRoutingMessageTypes as Types,
  RetentionPolicyIdQuery,
  Topics,
  type RetentionPolicyView,
} from '@baton/contracts';
import { Controller } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ResourceRoutes } from '../resources/resource-routes';

@ApiTags('events')
@ApiBearerAuth()
@Controller('v1/retention-policies')
export class RetentionController extends ResourceRoutes({
  topic: Topics.eventCommands,
  key: { id: RetentionPolicyIdQuery },
  // Keeps events of a type (or pattern; `*` for the rest) for `max_age` after they arrive.
  create: {
    type: Types.retentionCreate,
    body: CreateRetentionPolicyCommand,
    field: 'policy',
    location: (policy: RetentionPolicyView) => `/v1/retention-policies/${policy.id}`,
  },
  list: Types.retentionList,
  remove: Types.retentionDelete,
}) {}
