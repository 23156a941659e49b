import { progressLine } from './run-progress';

describe('progressLine', () => {
  const at = '2026-01-01T10:02:03.000Z';
  it('shows steps as they start, complete and fail', () => {
    expect(
      progressLine({ type: 'workflow.step.started', time: at, data: { step: 'classify' } }),
    ).toBe('10:02:03  ▶ step classify started');
    expect(
      progressLine({ type: 'workflow.step.completed', time: at, data: { step: 'classify' } }),
    ).toBe('10:02:03  ✓ step classify completed');
    expect(
      progressLine({
        type: 'workflow.step.failed',
        time: at,
        data: { step: 'route', attempt: 2, error: { type: 'timeout', message: 'no answer' } },
      }),
    ).toBe('10:02:03  ✗ step route failed (attempt 2): timeout: no answer');
    expect(progressLine({ type: 'workflow.run.completed', time: at, data: {} })).toBe(
      '10:02:03  ✓ run completed',
    );
  });
});
