import type { PutSamlConfigMessage, SamlConfigView } from '@baton/contracts';
import { UnitOfWork } from '@baton/database';
import { Injectable } from '@nestjs/common';
import { auditCommand } from '../audit/audit-in-transaction';
import { checkRoleMapping, idpSettingsOf } from './idp-settings';
import { SamlConfigEntity } from './saml-config.entity';
import { toSamlConfigView } from './saml-config.view';
import { SamlRepository } from './saml.repository';
import { SpKeys } from './sp-keys';

export const DEFAULT_SESSION_TTL_SECONDS = 8 * 3600;

/**
 * Sets the workspace's IdP and role mapping. The SP key pair is made on the
 * first call and kept after, so the IdP's trust in Baton survives edits.
 */
@Injectable()
export class PutSamlConfigUseCase {
  constructor(
    private readonly repository: SamlRepository,
    private readonly keys: SpKeys,
    private readonly uow: UnitOfWork,
  ) {}

  async execute(command: PutSamlConfigMessage, workspaceId: string): Promise<SamlConfigView> {
    const idp = await idpSettingsOf(command);
    const roleMapping = checkRoleMapping(command.role_mapping);
    const existing = await this.repository.findConfig(workspaceId);
    const now = new Date();
    const config = new SamlConfigEntity();
    config.workspaceId = workspaceId;
    config.idpEntityId = idp.entityId;
    config.idpSsoUrl = idp.ssoUrl;
    config.idpCertificates = idp.certificates;
    config.attribute = command.attribute;
    config.roleMapping = roleMapping;
    config.defaultRole = command.default_role ?? null;
    config.sessionTtlSeconds = command.session_ttl_seconds ?? DEFAULT_SESSION_TTL_SECONDS;
    if (existing) {
      config.spCertificate = existing.spCertificate;
      config.spPrivateKeySealed = existing.spPrivateKeySealed;
      config.createdAt = existing.createdAt;
    } else {
      const generated = await this.keys.generate(workspaceId);
      config.spCertificate = generated.certificate;
      config.spPrivateKeySealed = generated.sealedKey;
      config.createdAt = now;
    }
    config.updatedAt = now;
    await this.uow.run(async (tx) => {
      await this.repository.saveConfig(tx.manager, config);
      await auditCommand(tx.manager, {
        action: existing ? 'saml-config.update' : 'saml-config.create',
        resource: 'saml-config',
        details: {
          idp_entity_id: config.idpEntityId,
          attribute: config.attribute,
          roles: [...new Set(Object.values(roleMapping))].sort(),
        },
      });
    });
    return toSamlConfigView(config, command.public_url);
  }
}
