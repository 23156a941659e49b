import { PLATFORM_ADMIN } from '@baton/contracts';
import { UnitOfWork } from '@baton/database';
import { LOGGER } from '@baton/telemetry';
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { SecurityEnv } from '../security-manager.env';
import type { Logger } from 'pino';
import { WorkspacesRepository } from '../workspaces/workspaces.repository';
import { hashApiKey, keyPrefix } from './api-key-hash';
import { ApiKeysRepository } from './api-keys.repository';
import { revocationMessage } from './revocations';

export const DEFAULT_WORKSPACE = 'default';
export const BOOTSTRAP_KEY_NAME = 'bootstrap';

/**
 * A fresh install has the `default` workspace and, when BATON_BOOTSTRAP_API_KEY
 * is set, a platform-admin key in it: the key that creates workspaces and
 * their first admin keys. Unsetting the variable retires that key on the next
 * start. Running it again on every start changes nothing.
 */
@Injectable()
export class BootstrapDefaultsUseCase implements OnApplicationBootstrap {
  constructor(
    private readonly workspaces: WorkspacesRepository,
    private readonly keys: ApiKeysRepository,
    private readonly env: SecurityEnv,
    private readonly uow: UnitOfWork,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.workspaces.ensure(DEFAULT_WORKSPACE, 'Default');
    const key = this.env.BATON_BOOTSTRAP_API_KEY;
    if (!key) {
      const revoked = await this.uow.run(async (tx) => {
        const id = await this.keys.revokeBootstrap(
          tx.manager,
          DEFAULT_WORKSPACE,
          BOOTSTRAP_KEY_NAME,
        );
        if (id) {
          tx.publish(
            revocationMessage(
              DEFAULT_WORKSPACE,
              { kind: 'api-key', credential_ids: [id], reason: 'bootstrap key unset' },
              'bootstrap',
            ),
          );
        }
        return id;
      });
      if (revoked) {
        this.logger.info(
          { workspace_id: DEFAULT_WORKSPACE, key_name: BOOTSTRAP_KEY_NAME },
          'BATON_BOOTSTRAP_API_KEY is unset: the bootstrap API key was revoked',
        );
      }
      return;
    }
    await this.keys.upsertBootstrap({
      workspaceId: DEFAULT_WORKSPACE,
      name: BOOTSTRAP_KEY_NAME,
      prefix: keyPrefix(key),
      keyHash: hashApiKey(key),
      roles: [PLATFORM_ADMIN],
    });
    this.logger.info(
      { workspace_id: DEFAULT_WORKSPACE, key_name: BOOTSTRAP_KEY_NAME, role: PLATFORM_ADMIN },
      'bootstrap API key is active',
    );
  }
}
