import type { NotificationChannelView } from '@baton/contracts';
import type { ChannelStatusRow } from './channels.repository';

export function toChannelView(row: ChannelStatusRow): NotificationChannelView {
  return {
    name: row.name,
    kind: row.kind,
    admin: row.admin,
    target: row.target,
    created_at: row.created_at.toISOString(),
    pending: Number(row.pending),
    dead: Number(row.dead),
    last_error: row.last_error,
  };
}
