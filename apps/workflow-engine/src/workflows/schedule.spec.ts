import { nextFireAfter, planFiring } from './schedule';

const at = (iso: string) => new Date(iso);

describe('schedules', () => {
  it('computes the next occurrence of five- and six-field cron expressions', () => {
    expect(nextFireAfter({ cron: '*/5 * * * *' }, at('2024-01-01T00:05:00Z'))).toEqual(
      at('2024-01-01T00:10:00Z'),
    );
    expect(nextFireAfter({ cron: '*/1 * * * * *' }, at('2024-01-01T00:00:00.500Z'))).toEqual(
      at('2024-01-01T00:00:01Z'),
    );
    expect(nextFireAfter({ cron: '30 */10 * * * *' }, at('2024-01-01T00:00:31Z'))).toEqual(
      at('2024-01-01T00:10:30Z'),
    );
  });

  it('reads the hours in the schedule timezone', () => {
    // 09:00 in Paris is 08:00 UTC in winter and 07:00 UTC in summer.
    expect(
      nextFireAfter({ cron: '0 9 * * *', timezone: 'Europe/Paris' }, at('2024-01-01T10:00:00Z')),
    ).toEqual(at('2024-01-02T08:00:00Z'));
    expect(
      nextFireAfter({ cron: '0 9 * * *', timezone: 'Europe/Paris' }, at('2024-07-01T10:00:00Z')),
    ).toEqual(at('2024-07-02T07:00:00Z'));
  });

  it('fires a due occurrence once and moves on to the next one', () => {
    expect(
      planFiring({ cron: '0 * * * *' }, at('2024-01-01T10:00:00Z'), at('2024-01-01T10:00:00.200Z')),
    ).toEqual({
      scheduledAt: at('2024-01-01T10:00:00Z'),
      next: at('2024-01-01T11:00:00Z'),
      skipped: 0,
    });
  });

  it('after downtime fires once and skips the backlog', () => {
    // Due at 10:00, the engine was down until 13:30: one run for 10:00, none for 11, 12, 13.
    expect(
      planFiring({ cron: '0 * * * *' }, at('2024-01-01T10:00:00Z'), at('2024-01-01T13:30:00Z')),
    ).toEqual({
      scheduledAt: at('2024-01-01T10:00:00Z'),
      next: at('2024-01-01T14:00:00Z'),
      skipped: 3,
    });
  });

  it('never plans the next firing at or before the one it fires', () => {
    const due = at('2024-01-01T00:00:01Z');
    const firing = planFiring({ cron: '* * * * * *' }, due, at('2024-01-01T00:00:00.900Z'));
    expect(firing.next).toEqual(at('2024-01-01T00:00:02Z'));
  });
});
