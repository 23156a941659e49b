import { context, ROOT_CONTEXT } from '@opentelemetry/api';
import { startTracing, stopTracing } from '@baton/telemetry';
import {
  isRecording,
  producerTraceparent,
  startMessageSpan,
  withBatchSpan,
  withMessageSpan,
} from './trace-context';

/**
 * Tracing off (no exporter, so no tracer provider): nothing is recorded and a
 * message's traceparent passes through unchanged, as the services' processes
 * run it by default. Its own file: whether spans record is read once per process.
 */
describe('trace context with tracing off', () => {
  const traceparent = '00-0af7651916cd43dd8448eb211c80319c-00f067aa0ba902b7-01';

  // As every service starts it, with no OTEL_EXPORTER_OTLP_ENDPOINT.
  beforeAll(() => {
    delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
    startTracing('unit-test');
  });
  afterAll(() => stopTracing());

  it('records nothing, and what a handler publishes carries the message it handles', async () => {
    expect(isRecording()).toBe(false);
    const published = await withBatchSpan('baton.workflow.results', [], () =>
      withMessageSpan('decide step', { traceparent }, {}, async () =>
        producerTraceparent('baton.agent.tasks.default.a', { id: 'm1', workspaceid: 'w' }),
      ),
    );
    expect(published).toBe(traceparent);
    expect(startMessageSpan('start run wf', { traceparent }, {}).traceparent).toBe(traceparent);
  });

  it('starts no trace of its own for a message that came without one', async () => {
    const published = await context.with(ROOT_CONTEXT, () =>
      withMessageSpan('decide step', {}, {}, async () =>
        producerTraceparent('baton.agent.tasks.default.a', { id: 'm1', workspaceid: 'w' }),
      ),
    );
    expect(published).toBeUndefined();
  });
});
