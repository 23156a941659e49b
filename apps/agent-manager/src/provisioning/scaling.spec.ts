import { desiredInstances, nextCount, parseProvisioner, restartDelayMs } from './scaling';

describe('parseProvisioner', () => {
  const allowed = ['/usr/bin/node'];

  it('accepts an allowed command with defaults', () => {
    expect(
      parseProvisioner({ type: 'process', command: ['/usr/bin/node', 'w.js'] }, allowed),
    ).toEqual({
      ok: true,
      spec: {
        type: 'process',
        command: ['/usr/bin/node', 'w.js'],
        env: {},
        tasksPerInstance: 1,
        cooldownMs: 30_000,
      },
    });
    expect(parseProvisioner(undefined, allowed)).toEqual({ ok: true, spec: null });
  });

  it('refuses commands the operator did not allow, and says how to allow them', () => {
    const result = parseProvisioner({ type: 'process', command: ['/bin/sh', '-c', 'x'] }, allowed);
    expect(result).toMatchObject({ ok: false, errors: [{ field: 'config.provisioner.command' }] });
    const disabled = parseProvisioner({ type: 'process', command: ['/usr/bin/node'] }, []);
    expect(disabled.ok ? '' : disabled.errors[0].message).toContain('AGENT_PROVISIONER_COMMANDS');
  });

  it('names every bad field', () => {
    const result = parseProvisioner(
      { type: 'kubernetes', command: [], env: { A: 1 }, tasks_per_instance: 0, cooldown_ms: -1 },
      allowed,
    );
    expect(result.ok ? [] : result.errors.map((e) => e.field)).toEqual([
      'config.provisioner.type',
      'config.provisioner.command',
      'config.provisioner.env',
      'config.provisioner.tasks_per_instance',
      'config.provisioner.cooldown_ms',
    ]);
  });
});

describe('desiredInstances', () => {
  it('follows the backlog between min and max', () => {
    expect(desiredInstances(0, 1, 3, 2)).toBe(1);
    expect(desiredInstances(3, 1, 3, 2)).toBe(2);
    expect(desiredInstances(100, 1, 3, 2)).toBe(3);
  });

  it('keeps one instance while there is work, even with min 0', () => {
    expect(desiredInstances(0, 0, 3, 5)).toBe(0);
    expect(desiredInstances(1, 0, 3, 5)).toBe(1);
  });
});

describe('nextCount', () => {
  it('scales up at once', () => {
    expect(nextCount(1, 3, { lastBusyAt: 0 }, 1_000, 5_000)).toEqual({
      count: 3,
      state: { lastBusyAt: 1_000 },
    });
  });

  it('scales down one at a time, each after a full cooldown of low backlog', () => {
    let step = nextCount(3, 1, { lastBusyAt: 0 }, 4_000, 5_000);
    expect(step.count).toBe(3);
    step = nextCount(3, 1, step.state, 5_000, 5_000);
    expect(step).toEqual({ count: 2, state: { lastBusyAt: 5_000 } });
    expect(nextCount(2, 1, step.state, 9_000, 5_000).count).toBe(2);
    expect(nextCount(2, 1, step.state, 10_000, 5_000).count).toBe(1);
  });
});

describe('restartDelayMs', () => {
  it('backs off crash loops up to a minute', () => {
    expect([0, 1, 2, 3, 10].map(restartDelayMs)).toEqual([0, 1_000, 2_000, 4_000, 60_000]);
  });
});
