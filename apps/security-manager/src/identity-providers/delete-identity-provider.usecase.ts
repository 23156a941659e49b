import { DomainError, ErrorCodes, type IdentityProviderIdQuery } from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import { IdentityProvidersRepository } from './identity-providers.repository';

@Injectable()
export class DeleteIdentityProviderUseCase {
  constructor(private readonly providers: IdentityProvidersRepository) {}

  /** Gateways stop accepting its tokens when they next refresh their directory (within a minute). */
  async execute(query: IdentityProviderIdQuery, workspaceId: string): Promise<void> {
    if (!(await this.providers.delete(workspaceId, query.id))) {
      throw new DomainError(ErrorCodes.notFound, `no identity provider '${query.id}'`);
    }
  }
}
