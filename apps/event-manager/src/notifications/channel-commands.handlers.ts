import {
  AlertMessageTypes as Types,
  ChannelNameQuery,
  CreateNotificationChannelCommand,
  DomainError,
  PageQuery,
  type NotificationChannelView,
  onePage,
} from '@baton/contracts';
import { UnitOfWork } from '@baton/database';
import type { CommandRegistry } from '@baton/kafka';
import { CommandHandlers } from '@baton/service-kit';
import { addressPolicy, urlRefusal, type AddressPolicy } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { EventManagerEnv } from '../event-manager.env';
import { randomBytes } from 'node:crypto';
import { channelOwner, SigningSecrets } from '../routing/signing-secrets';
import { channelSettings, guardedField, guardedUrl } from './channel-config';
import { ChannelsRepository, MAX_CHANNELS } from './channels.repository';
import { toChannelView } from './channels.view';

/** `POST/GET/DELETE /v1/notification-channels`. */
@Injectable()
export class ChannelCommandsHandlers extends CommandHandlers {
  private readonly policy: AddressPolicy;

  constructor(
    private readonly channels: ChannelsRepository,
    private readonly secrets: SigningSecrets,
    private readonly uow: UnitOfWork,
    env: EventManagerEnv,
  ) {
    super();
    this.policy = addressPolicy(env.WEBHOOK_ALLOW_PRIVATE_NETWORKS === true);
  }

  register(server: CommandRegistry): void {
    server
      .handle(Types.channelCreate, CreateNotificationChannelCommand, (command, envelope) =>
        this.create(envelope.workspaceid, command),
      )
      .handle(Types.channelList, PageQuery, async (_query, envelope) =>
        onePage((await this.channels.list(envelope.workspaceid)).map(toChannelView)),
      )
      .handle(Types.channelGet, ChannelNameQuery, async (query, envelope) => {
        const row = await this.channels.find(envelope.workspaceid, query.name);
        if (!row) throw DomainError.notFound('notification channel', query.name);
        return toChannelView(row);
      })
      .handle(Types.channelDelete, ChannelNameQuery, (query, envelope) =>
        this.uow.run(async (tx) => {
          if (!(await this.channels.delete(tx.manager, envelope.workspaceid, query.name)))
            throw DomainError.notFound('notification channel', query.name);
          tx.audit({
            action: 'notification-channel.delete',
            target: `notification-channel/${query.name}`,
          });
          return { deleted: true };
        }),
      );
  }

  private async create(
    workspaceId: string,
    command: CreateNotificationChannelCommand,
  ): Promise<NotificationChannelView> {
    const settings = channelSettings(command.kind, command.config, () =>
      randomBytes(32).toString('base64url'),
    );
    const refused = await urlRefusal(guardedUrl(settings), this.policy);
    if (refused)
      throw DomainError.invalid(guardedField(command.kind), `must not be internal: ${refused}`);
    if ((await this.channels.count(workspaceId)) >= MAX_CHANNELS)
      throw DomainError.invalid('name', `a workspace has at most ${MAX_CHANNELS} channels`);
    const sealed = this.secrets.seal(
      JSON.stringify(settings.secrets),
      channelOwner(workspaceId, command.name),
    );
    const row = {
      workspace_id: workspaceId,
      name: command.name,
      kind: command.kind,
      admin: command.admin ?? false,
      target: settings.target as unknown as Record<string, unknown>,
      secrets: sealed,
    };
    await this.uow.run(async (tx) => {
      if (!(await this.channels.insert(tx.manager, row)))
        throw new DomainError(
          'CHANNEL.EXISTS',
          `notification channel '${command.name}' exists already`,
        );
      tx.audit({
        action: 'notification-channel.create',
        target: `notification-channel/${command.name}`,
        details: { kind: command.kind },
      });
    });
    const view = toChannelView({
      ...row,
      created_at: new Date(),
      pending: 0,
      dead: 0,
      last_error: null,
    });
    // The one time the webhook's signing secret is shown (it signs every notification).
    return settings.kind === 'webhook'
      ? { ...view, signing_secret: settings.secrets.signing_secret }
      : view;
  }
}
