import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

/** A sign-in under way: what the callback must find to accept the provider's answer. */
export interface PendingOidcLogin {
  stateHash: string;
  workspaceId: string;
  providerId: string;
  browserHash: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
  expiresAt: Date;
}

interface PendingRow {
  state_hash: string;
  workspace_id: string;
  provider_id: string;
  browser_hash: string;
  nonce: string;
  code_verifier: string;
  return_to: string;
  expires_at: Date;
}

@Injectable()
export class OidcLoginsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** False when the workspace already has `max` logins under way (nothing is stored then). */
  async save(login: PendingOidcLogin, max: number): Promise<boolean> {
    const inserted = (await this.dataSource.query(
      `INSERT INTO oidc_logins
         (state_hash, workspace_id, provider_id, browser_hash, nonce, code_verifier, return_to, expires_at)
       SELECT $1, $2, $3::uuid, $4, $5, $6, $7, $8::timestamptz
       WHERE (SELECT count(*) FROM oidc_logins WHERE workspace_id = $2 AND expires_at > now()) < $9
       RETURNING state_hash`,
      [
        login.stateHash,
        login.workspaceId,
        login.providerId,
        login.browserHash,
        login.nonce,
        login.codeVerifier,
        login.returnTo,
        login.expiresAt,
        max,
      ],
    )) as unknown[];
    return inserted.length === 1;
  }

  /**
   * The login of this state, deleted as it is read: a state is good once,
   * across replicas, whether the rest of the callback succeeds or not.
   */
  async consume(stateHash: string): Promise<PendingOidcLogin | null> {
    const [rows] = (await this.dataSource.query(
      `DELETE FROM oidc_logins WHERE state_hash = $1 RETURNING *`,
      [stateHash],
    )) as [PendingRow[], number];
    const row = rows[0];
    if (!row) return null;
    return {
      stateHash: row.state_hash,
      workspaceId: row.workspace_id,
      providerId: row.provider_id,
      browserHash: row.browser_hash,
      nonce: row.nonce,
      codeVerifier: row.code_verifier,
      returnTo: row.return_to,
      expiresAt: new Date(row.expires_at),
    };
  }

  async pruneExpired(): Promise<void> {
    await this.dataSource.query(`DELETE FROM oidc_logins WHERE expires_at < now()`);
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }
}
