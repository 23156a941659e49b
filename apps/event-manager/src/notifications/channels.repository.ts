import type { ChannelKind } from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

export interface ChannelRow {
  workspace_id: string;
  name: string;
  kind: ChannelKind;
  admin: boolean;
  target: Record<string, unknown>;
  /** Sealed JSON of the channel's secrets. */
  secrets: string | null;
  created_at: Date;
}

export interface ChannelStatusRow extends ChannelRow {
  pending: number;
  dead: number;
  last_error: string | null;
}

/** A rule's channel entry meaning every channel with `admin: true` (unless a channel is named so). */
export const ADMIN_CHANNELS = 'admin';

/** A workspace holds at most this many channels. */
export const MAX_CHANNELS = 100;

const STATUS = `c.*,
  (SELECT count(*)::int FROM notifications n WHERE n.workspace_id = c.workspace_id AND n.channel = c.name AND n.status = 'pending') AS pending,
  (SELECT count(*)::int FROM notifications n WHERE n.workspace_id = c.workspace_id AND n.channel = c.name AND n.status = 'dead') AS dead,
  (SELECT n.last_error FROM notifications n WHERE n.workspace_id = c.workspace_id AND n.channel = c.name
     AND n.last_error IS NOT NULL ORDER BY n.id DESC LIMIT 1) AS last_error`;

@Injectable()
export class ChannelsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** False when a channel of that name exists already. */
  async insert(manager: EntityManager, row: Omit<ChannelRow, 'created_at'>): Promise<boolean> {
    const inserted = (await manager.query(
      `INSERT INTO notification_channels (workspace_id, name, kind, admin, target, secrets)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING name`,
      [row.workspace_id, row.name, row.kind, row.admin, row.target, row.secrets],
    )) as unknown[];
    return inserted.length === 1;
  }

  async count(workspaceId: string): Promise<number> {
    const [row] = (await this.dataSource.query(
      `SELECT count(*)::int AS n FROM notification_channels WHERE workspace_id = $1`,
      [workspaceId],
    )) as { n: number }[];
    return Number(row.n);
  }

  list(workspaceId: string): Promise<ChannelStatusRow[]> {
    return this.dataSource.query(
      `SELECT ${STATUS} FROM notification_channels c WHERE c.workspace_id = $1 ORDER BY c.name`,
      [workspaceId],
    ) as Promise<ChannelStatusRow[]>;
  }

  async find(workspaceId: string, name: string): Promise<ChannelStatusRow | undefined> {
    const [row] = (await this.dataSource.query(
      `SELECT ${STATUS} FROM notification_channels c WHERE c.workspace_id = $1 AND c.name = $2`,
      [workspaceId, name],
    )) as ChannelStatusRow[];
    return row;
  }

  async delete(manager: EntityManager, workspaceId: string, name: string): Promise<boolean> {
    // DELETE ... RETURNING comes back from TypeORM as [rows, affected].
    const [deleted] = (await manager.query(
      `DELETE FROM notification_channels WHERE workspace_id = $1 AND name = $2 RETURNING name`,
      [workspaceId, name],
    )) as [unknown[], number];
    return deleted.length === 1;
  }

  /** Names and kinds of a workspace's channels (rules name either). */
  byWorkspace(workspaceId: string, manager?: EntityManager): Promise<ChannelRow[]> {
    return (manager ?? this.dataSource).query(
      `SELECT * FROM notification_channels WHERE workspace_id = $1 ORDER BY name`,
      [workspaceId],
    ) as Promise<ChannelRow[]>;
  }

  byNames(workspaceId: string, names: string[]): Promise<ChannelRow[]> {
    return this.dataSource.query(
      `SELECT * FROM notification_channels WHERE workspace_id = $1 AND name = ANY($2::text[])`,
      [workspaceId, names],
    ) as Promise<ChannelRow[]>;
  }
}

/**
 * The channels a rule's `notification_channels` entries mean: a channel of
 * that name, else every channel of that kind (so the seed's ['email',
 * 'slack'] works without naming channels); `admin` means every admin channel. Other entries that match nothing are
 * returned as `unknown`.
 */
export function resolveChannels(
  entries: readonly string[],
  channels: readonly Pick<ChannelRow, 'name' | 'kind' | 'admin'>[],
): { names: string[]; unknown: string[] } {
  const names = new Set<string>();
  const unknown: string[] = [];
  for (const entry of entries) {
    const byName = channels.find((c) => c.name === entry);
    const matched = byName
      ? [byName]
      : entry === ADMIN_CHANNELS
        ? channels.filter((c) => c.admin)
        : channels.filter((c) => c.kind === entry);
    // `admin` may match nothing yet: the platform's own rules name it before anyone made a channel.
    if (matched.length === 0 && entry !== ADMIN_CHANNELS) unknown.push(entry);
    for (const channel of matched) names.add(channel.name);
  }
  return { names: [...names], unknown };
}
