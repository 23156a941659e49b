import {
  DomainError,
  ErrorCodes,
  MessageTypes,
  Topics,
  type DestinationDto,
} from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import type { Caller } from '../auth/caller';
import { PlatformClient } from '../platform/platform-client';

/**
 * Subscriptions and routes that start workflows name them, but event-manager
 * cannot see the engine's workflows: asked here, at the API, a typo is a 422
 * naming the field instead of deliveries that start nothing.
 */
@Injectable()
export class WorkflowReferences {
  constructor(private readonly platform: PlatformClient) {}

  /** `destinations` with the field path each comes from ('' for a subscription's own). */
  async requireExisting(
    caller: Caller,
    destinations: { destination: DestinationDto; field: string }[],
  ): Promise<void> {
    for (const { destination, field } of destinations) {
      if (!destination.workflow) continue;
      try {
        await this.platform.send(
          Topics.workflowCommands,
          MessageTypes.workflowGet,
          { name: destination.workflow },
          caller,
          destination.workflow,
        );
      } catch (error) {
        if (error instanceof DomainError && error.category === ErrorCodes.notFound) {
          throw DomainError.invalid(
            `${field}workflow`,
            `no workflow named '${destination.workflow}'`,
          );
        }
        throw error;
      }
    }
  }
}
