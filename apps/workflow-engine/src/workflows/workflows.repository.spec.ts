import { useServiceDatabase } from '../../../../test/repositories/service-database';
import { DATABASE } from '../workflow-engine.database';
import { WorkflowEntity } from './workflow.entity';
import { WorkflowsRepository } from './workflows.repository';

describe('WorkflowsRepository (Postgres)', () => {
  const db = useServiceDatabase(DATABASE, ['workflows']);

  it("finds a workspace's workflow by name as TypeORM's own read does, only in its workspace", async () => {
    const workflows = new WorkflowsRepository(db.dataSource);
    const created = new Date(Date.now() - 60_000);
    await db.dataSource.manager.save(
      Object.assign(new WorkflowEntity(), {
        workspaceId: 'ws-a',
        name: 'onboard',
        activeVersion: 2,
        latestVersion: 3,
        createdAt: created,
        updatedAt: new Date(),
      }),
    );
    const found = await workflows.find('ws-a', 'onboard');
    expect(found).toBeInstanceOf(WorkflowEntity);
    expect(found).toEqual(
      await db.dataSource.manager.findOneBy(WorkflowEntity, {
        workspaceId: 'ws-a',
        name: 'onboard',
      }),
    );
    expect(found?.createdAt.getTime()).toBe(created.getTime());
    expect(await workflows.find('ws-b', 'onboard')).toBeNull();
    expect(await workflows.find('ws-a', 'offboard')).toBeNull();
    // Inside a transaction, on its connection.
    await db.dataSource.transaction(async (manager) => {
      expect((await workflows.find('ws-a', 'onboard', manager))?.activeVersion).toBe(2);
    });
  });
});
