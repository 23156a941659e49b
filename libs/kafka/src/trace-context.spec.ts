import { trace } from '@opentelemetry/api';
import {
  InMemorySpanExporter,
  NodeTracerProvider,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-node';
import {
  currentTraceparent,
  producerTraceparent,
  startMessageSpan,
  traceIdOf,
  withBatchSpan,
  withMessageSpan,
} from './trace-context';

const TRACE_A = '0af7651916cd43dd8448eb211c80319c';
const TRACE_B = '4bf92f3577b34da6a3ce929d0e0e4736';
const parentIn = (traceId: string, spanId: string) => `00-${traceId}-${spanId}-01`;

describe('trace context of messages handled in batches', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

  beforeAll(() => provider.register());
  afterAll(async () => {
    await provider.shutdown();
    trace.disable();
  });
  beforeEach(() => exporter.reset());

  it('reads the trace id of a traceparent, and nothing of a malformed or empty one', () => {
    expect(traceIdOf(parentIn(TRACE_A, 'b7ad6b7169203331'))).toBe(TRACE_A);
    expect(traceIdOf(`00-${'0'.repeat(32)}-b7ad6b7169203331-01`)).toBeNull();
    expect(traceIdOf('not-a-traceparent')).toBeNull();
    expect(traceIdOf(null)).toBeNull();
  });

  it("keeps each item of one batch in its own message's trace, the batch span linking them all", async () => {
    const messages = [
      { traceparent: parentIn(TRACE_A, '00f067aa0ba902b7') },
      { traceparent: parentIn(TRACE_B, 'b7ad6b7169203331') },
    ];
    const published: (string | undefined)[] = [];
    await withBatchSpan(
      'baton.workflow.results',
      messages.map((m) => ({ headers: { traceparent: m.traceparent } })),
      async () => {
        for (const message of messages) {
          await withMessageSpan('decide step', message, { 'baton.step': 'step' }, async () => {
            published.push(
              producerTraceparent('baton.agent.tasks.default.a', { id: 'm1', workspaceid: 'w' }),
            );
          });
        }
      },
    );
    expect(published.map(traceIdOf)).toEqual([TRACE_A, TRACE_B]);
    const spans = exporter.getFinishedSpans();
    const decisions = spans.filter((s) => s.name === 'decide step');
    expect(decisions.map((s) => [s.spanContext().traceId, s.parentSpanContext?.spanId])).toEqual([
      [TRACE_A, '00f067aa0ba902b7'],
      [TRACE_B, 'b7ad6b7169203331'],
    ]);
    // The message's producer span is a child of the decision that published it.
    const sends = spans.filter((s) => s.name === 'send baton.agent.tasks.default.a');
    expect(sends.map((s) => s.parentSpanContext?.spanId)).toEqual(
      decisions.map((s) => s.spanContext().spanId),
    );
    expect(sends[0].attributes).toMatchObject({
      'messaging.system': 'kafka',
      'messaging.operation.type': 'send',
      'messaging.message.id': 'm1',
      'baton.workspace': 'w',
    });
    expect(published[0]).toContain(sends[0].spanContext().spanId);
    const batch = spans.find((s) => s.name === 'process baton.workflow.results')!;
    expect([TRACE_A, TRACE_B]).not.toContain(batch.spanContext().traceId);
    expect(batch.links.map((l) => l.context.traceId)).toEqual([TRACE_A, TRACE_B]);
  });

  it('gives a span started before its work the traceparent to store, and marks a failure', async () => {
    const span = startMessageSpan(
      'start run wf',
      { traceparent: parentIn(TRACE_A, '00f067aa0ba902b7') },
      {},
    );
    expect(traceIdOf(span.traceparent)).toBe(TRACE_A);
    await span.within(async () => expect(currentTraceparent()).toBe(span.traceparent));
    span.end(new Error('insert failed'));
    const [finished] = exporter.getFinishedSpans();
    expect(finished.status.code).toBe(2); // SpanStatusCode.ERROR
  });
});
