import pino from 'pino';
import { LogShippingBuffer, PLATFORM_LOG_WORKSPACE } from './log-shipping';

function loggerInto(buffer: LogShippingBuffer) {
  return pino(
    { level: 'info', formatters: { level: (label) => ({ level: label }) } },
    pino.multistream([{ level: 'warn', stream: buffer }]),
  );
}

describe('LogShippingBuffer', () => {
  it('keeps warnings and errors with ids as columns and secrets redacted', () => {
    const buffer = new LogShippingBuffer();
    const logger = loggerInto(buffer);
    logger.info('not shipped');
    logger.warn(
      { workspace_id: 'acme', run_id: 'r1', correlation_id: 'c1', headers: { authorization: 'x' } },
      'step slow',
    );
    logger.error({ err: { message: 'boom' } }, 'failed with Bearer abcdefghijklmnop');
    const [warn, error] = buffer.drain();
    expect(warn).toMatchObject({
      workspaceId: 'acme',
      record: {
        level: 'warn',
        message: 'step slow',
        run_id: 'r1',
        request_id: 'c1',
        fields: { headers: { authorization: '[redacted]' } },
      },
    });
    expect(error.workspaceId).toBe(PLATFORM_LOG_WORKSPACE);
    expect(error.record.message).toBe('failed with [redacted]');
    expect(buffer.drain()).toEqual([]);
  });

  it('takes a `workspace` field that is a workspace id, and nothing else, as the workspace', () => {
    const buffer = new LogShippingBuffer();
    const logger = loggerInto(buffer);
    logger.warn({ workspace: 'team-a' }, 'hook call refused');
    logger.warn({ workspace: '../etc' }, 'odd');
    expect(buffer.drain().map((r) => r.workspaceId)).toEqual(['team-a', PLATFORM_LOG_WORKSPACE]);
  });

  it('drops the oldest past its capacity', () => {
    const buffer = new LogShippingBuffer(2);
    const logger = loggerInto(buffer);
    for (const m of ['a', 'b', 'c']) logger.warn(m);
    expect(buffer.drain().map((r) => r.record.message)).toEqual(['b', 'c']);
  });
});
