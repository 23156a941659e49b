import { randomUUID } from 'node:crypto';
import { useServiceDatabase } from '../../../../test/repositories/service-database';
import { DATABASE } from '../event-manager.database';
import { ReplaysRepository } from '../replays/replays.repository';
import { DeliveriesRepository, type NewDelivery } from './deliveries.repository';

function delivery(overrides: Partial<NewDelivery> = {}): NewDelivery {
  return {
    workspaceId: 'ws-a',
    channel: `sub:${randomUUID()}`,
    subscriptionId: null,
    routeId: null,
    destination: null,
    eventId: randomUUID(),
    lane: 'default',
    replayId: null,
    ...overrides,
  };
}

describe('DeliveriesRepository and ReplaysRepository (Postgres)', () => {
  const db = useServiceDatabase(DATABASE, ['deliveries', 'replays']);
  let deliveries: DeliveriesRepository;
  beforeAll(() => {
    deliveries = new DeliveriesRepository(db.dataSource);
  });

  it('counts pending and dead deliveries by workspace, kind and status, and ages the oldest', async () => {
    expect(await deliveries.oldestPendingSeconds()).toBe(0);
    await deliveries.insert(db.dataSource.manager, [
      delivery(),
      delivery(),
      delivery({ channel: `route:${randomUUID()}:0` }),
      delivery({ workspaceId: 'ws-b' }),
      delivery({ eventId: 'dead-one' }),
      delivery({ eventId: 'delivered-one' }),
    ]);
    await db.dataSource.query(`UPDATE deliveries SET status = 'dead' WHERE event_id = 'dead-one'`);
    await db.dataSource.query(
      `UPDATE deliveries SET status = 'delivered' WHERE event_id = 'delivered-one'`,
    );
    await db.dataSource.query(
      `UPDATE deliveries SET created_at = now() - interval '30 seconds' WHERE workspace_id = 'ws-b'`,
    );
    const counts = (await deliveries.pendingAndDeadCounts())
      .map((row) => `${row.workspace_id}/${row.kind}/${row.status}=${row.n}`)
      .sort();
    expect(counts).toEqual([
      'ws-a/route/pending=1',
      'ws-a/subscription/dead=1',
      'ws-a/subscription/pending=2',
      'ws-b/subscription/pending=1',
    ]);
    const oldest = await deliveries.oldestPendingSeconds();
    expect(oldest).toBeGreaterThanOrEqual(29);
    expect(oldest).toBeLessThan(300);
  });

  it('cancels a running replay once, and its deliveries that have not gone out', async () => {
    const replays = new ReplaysRepository(db.dataSource);
    const id = randomUUID();
    await db.dataSource.query(
      `INSERT INTO replays (id, workspace_id, filter, target, upper_seq) VALUES ($1, 'ws-a', '{}', '{}', 0)`,
      [id],
    );
    await deliveries.insert(db.dataSource.manager, [
      delivery({ replayId: id }),
      delivery({ replayId: id, eventId: 'sent' }),
    ]);
    await db.dataSource.query(`UPDATE deliveries SET status = 'delivered' WHERE event_id = 'sent'`);

    const cancelled = await db.dataSource.transaction(async (manager) => {
      if (!(await replays.markCancelled(manager, id))) return false;
      await deliveries.cancelReplay(manager, id);
      return true;
    });
    expect(cancelled).toBe(true);
    expect(await replays.find('ws-a', id)).toMatchObject({ status: 'cancelled' });
    expect(await deliveries.countsOfReplay(id)).toEqual({ cancelled: 1, delivered: 1 });
    expect(await replays.markCancelled(db.dataSource.manager, id)).toBe(false);
  });
});
