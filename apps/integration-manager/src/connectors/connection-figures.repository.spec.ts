import { useServiceDatabase } from '../../../../test/repositories/service-database';
import { ConnectionsRepository } from '../connections/connections.repository';
import { DATABASE } from '../integration-manager.database';
import { ConnectionFiguresRepository, type ConnectionCall } from './connection-figures.repository';

function call(overrides: Partial<ConnectionCall> = {}): ConnectionCall {
  return {
    workspace: 'ws-a',
    connection: 'crm',
    outcome: 'ok',
    ms: 10,
    at: new Date(),
    ...overrides,
  };
}

describe('ConnectionFiguresRepository (Postgres)', () => {
  const db = useServiceDatabase(DATABASE, ['connection_calls', 'connection_breakers']);
  let figures: ConnectionFiguresRepository;
  beforeAll(() => {
    figures = new ConnectionFiguresRepository(db.dataSource);
  });

  it('sums calls in a window per connection asked for, by outcome, with their p95', async () => {
    await figures.insertCalls([
      call({ ms: 10 }),
      call({ ms: 20 }),
      call({ outcome: 'timeout', ms: 100 }),
      call({ outcome: 'validation_error' }),
      call({ connection: 'mail' }),
      call({ at: new Date(Date.now() - 3_600_000) }),
      call({ workspace: 'ws-b' }),
    ]);
    const rows = await figures.calls('ws-a', ['crm'], 600);
    expect(rows).toEqual([
      { connection: 'crm', calls: 4, ok: 2, failed: 1, rejected: 1, p95: expect.any(Number) },
    ]);
    expect(rows[0].p95).toBeGreaterThan(20);
    expect(await figures.calls('ws-a', [], 600)).toEqual([]);
  });

  it('prunes calls past the 8 days kept', async () => {
    await figures.insertCalls([
      call({ at: new Date(Date.now() - 9 * 86_400_000) }),
      call({ at: new Date(Date.now() - 86_400_000) }),
    ]);
    await figures.pruneCalls();
    expect(await figures.calls('ws-a', ['crm'], 10 * 86_400)).toMatchObject([{ calls: 1 }]);
  });

  it('keeps the last breaker state per replica; a breaker open on any replica counts until it resets', async () => {
    const soon = new Date(Date.now() + 60_000);
    await figures.recordBreaker('ws-a', 'crm', 'replica-1', 'open', soon);
    await figures.recordBreaker('ws-a', 'crm', 'replica-2', 'closed', null);
    await figures.recordBreaker('ws-a', 'mail', 'replica-1', 'open', soon);
    await figures.recordBreaker('ws-a', 'mail', 'replica-1', 'closed', null);
    await figures.recordBreaker('ws-a', 'old', 'replica-1', 'open', new Date(Date.now() - 1_000));
    await figures.recordBreaker('ws-b', 'crm', 'replica-1', 'open', soon);
    expect(await figures.openBreakers('ws-a')).toEqual(new Set(['crm']));
  });

  it('tells which connection names exist in a workspace', async () => {
    const connections = new ConnectionsRepository(db.dataSource);
    await db.dataSource.query(
      `INSERT INTO connections (workspace_id, name, connector) VALUES
         ('ws-a', 'crm', 'http'), ('ws-a', 'mail', 'smtp'), ('ws-b', 'ledger', 'sql')`,
    );
    expect((await connections.existingNames('ws-a', ['crm', 'ledger', 'nope'])).sort()).toEqual([
      'crm',
    ]);
    await db.dataSource.query(`DELETE FROM connections`);
  });
});
