import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { SigningKeyEntity } from './signing-key.entity';

export interface NewSigningKey {
  kid: string;
  alg: string;
  publicJwk: Record<string, unknown>;
  privateSealed: string;
}

@Injectable()
export class SigningKeysRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  active(): Promise<SigningKeyEntity | null> {
    return this.dataSource.manager
      .createQueryBuilder(SigningKeyEntity, 'k')
      .where('k.retired_at IS NULL')
      .getOne();
  }

  /** The active key and the retired ones still published, newest first. */
  published(): Promise<SigningKeyEntity[]> {
    return this.dataSource.manager
      .createQueryBuilder(SigningKeyEntity, 'k')
      .where('k.retired_at IS NULL OR k.published_until > now()')
      .orderBy('k.created_at', 'DESC')
      .getMany();
  }

  /** Inserts the first key unless another replica did: the unique index allows one active key. */
  async insertIfNoneActive(key: NewSigningKey): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO signing_keys (kid, alg, public_jwk, private_sealed, created_at)
       VALUES ($1, $2, $3::jsonb, $4, now())
       ON CONFLICT ((true)) WHERE retired_at IS NULL DO NOTHING`,
      [key.kid, key.alg, JSON.stringify(key.publicJwk), key.privateSealed],
    );
  }

  /**
   * Retires the active key (published `ttlSeconds` longer, the lifetime of
   * the last token it may have signed) and makes `next` the active one, in
   * one transaction.
   */
  rotate(
    next: NewSigningKey,
    ttlSeconds: number,
    outer?: EntityManager,
  ): Promise<SigningKeyEntity[]> {
    const inTransaction = <T>(work: (manager: EntityManager) => Promise<T>) =>
      outer ? work(outer) : this.dataSource.transaction(work);
    return inTransaction(async (manager: EntityManager) => {
      // Serialises rotations, so the UPDATE below sees the key a concurrent one made active.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('baton.signing-keys.rotate'))`);
      await manager.query(
        `UPDATE signing_keys
           SET retired_at = now(), published_until = now() + make_interval(secs => $1)
         WHERE retired_at IS NULL`,
        [ttlSeconds],
      );
      await manager.query(
        `INSERT INTO signing_keys (kid, alg, public_jwk, private_sealed, created_at)
         VALUES ($1, $2, $3::jsonb, $4, now())`,
        [next.kid, next.alg, JSON.stringify(next.publicJwk), next.privateSealed],
      );
      return manager
        .createQueryBuilder(SigningKeyEntity, 'k')
        .where('k.retired_at IS NOT NULL AND k.published_until > now()')
        .orderBy('k.retired_at', 'DESC')
        .getMany();
    });
  }
}
