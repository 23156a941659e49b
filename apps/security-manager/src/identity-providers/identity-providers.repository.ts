import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { IdentityProviderEntity } from './identity-provider.entity';

export interface NewIdentityProvider {
  workspaceId: string;
  issuer: string;
  audience: string;
  claim: string;
  roleMapping: Record<string, string>;
  jwksUri: string;
  /** Console sign-in (ADR 0037); all null for a provider that only verifies access tokens. */
  clientId: string | null;
  clientSecretSealed: string | null;
  scopes: string | null;
  authorizationEndpoint: string | null;
  tokenEndpoint: string | null;
}

export type InsertOutcome = IdentityProviderEntity | 'taken' | 'full';

@Injectable()
export class IdentityProvidersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** 'taken' when some workspace already trusts this issuer + audience; 'full' at the cap. */
  async insert(
    id: string,
    spec: NewIdentityProvider,
    max: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<InsertOutcome> {
    const rows = (await manager.query(
      `INSERT INTO identity_providers (id, workspace_id, issuer, audience, claim, role_mapping, jwks_uri,
         client_id, client_secret_sealed, scopes, authorization_endpoint, token_endpoint, created_at)
       SELECT $1, $2, $3, $4, $5, $6::jsonb, $7, $9, $10, $11, $12, $13, now()
       WHERE (SELECT count(*) FROM identity_providers WHERE workspace_id = $2) < $8
       ON CONFLICT (issuer, audience) DO NOTHING
       RETURNING id`,
      [
        id,
        spec.workspaceId,
        spec.issuer,
        spec.audience,
        spec.claim,
        JSON.stringify(spec.roleMapping),
        spec.jwksUri,
        max,
        spec.clientId,
        spec.clientSecretSealed,
        spec.scopes,
        spec.authorizationEndpoint,
        spec.tokenEndpoint,
      ],
    )) as { id: string }[];
    if (rows.length > 0) return manager.findOneByOrFail(IdentityProviderEntity, { id });
    const taken = await manager.existsBy(IdentityProviderEntity, {
      issuer: spec.issuer,
      audience: spec.audience,
    });
    return taken ? 'taken' : 'full';
  }

  list(workspaceId: string): Promise<IdentityProviderEntity[]> {
    return this.dataSource.manager.find(IdentityProviderEntity, {
      where: { workspaceId },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  /** Every provider of a workspace that is not deleted. */
  all(): Promise<IdentityProviderEntity[]> {
    return this.dataSource.manager
      .createQueryBuilder(IdentityProviderEntity, 'p')
      .where(
        'NOT EXISTS (SELECT 1 FROM workspaces w WHERE w.id = p.workspace_id AND w.deleted_at IS NOT NULL)',
      )
      .orderBy('p.created_at', 'ASC')
      .getMany();
  }

  /** The workspace's providers people can sign in with (those with a client). */
  withClient(workspaceId: string): Promise<IdentityProviderEntity[]> {
    return this.dataSource.manager
      .createQueryBuilder(IdentityProviderEntity, 'p')
      .where('p.workspace_id = :workspaceId AND p.client_id IS NOT NULL', { workspaceId })
      .orderBy('p.created_at', 'ASC')
      .getMany();
  }

  findById(id: string): Promise<IdentityProviderEntity | null> {
    return this.dataSource.manager.findOneBy(IdentityProviderEntity, { id });
  }

  async delete(manager: EntityManager, workspaceId: string, id: string): Promise<boolean> {
    const result = await manager.delete(IdentityProviderEntity, {
      id,
      workspaceId,
    });
    return (result.affected ?? 0) > 0;
  }
}
