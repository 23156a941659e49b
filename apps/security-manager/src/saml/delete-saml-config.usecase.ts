import { DomainError } from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import { SamlRepository } from './saml.repository';

/** Removes the IdP, the SP key and every SAML session of the workspace: its people are signed out. */
@Injectable()
export class DeleteSamlConfigUseCase {
  constructor(private readonly repository: SamlRepository) {}

  async execute(workspaceId: string): Promise<{ deleted: true }> {
    if (!(await this.repository.deleteConfig(workspaceId)))
      throw DomainError.notFound('SAML configuration of workspace', workspaceId);
    return { deleted: true };
  }
}
