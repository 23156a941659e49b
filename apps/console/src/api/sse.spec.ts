import { parseSseChunk } from './sse';

describe('reading a text/event-stream', () => {
  it('splits complete events, keeps the unfinished rest, skips keep-alive comments', () => {
    const { events, rest } = parseSseChunk(
      'id: 1\nevent: workflow.run.started\ndata: {"a":1}\n\n: keep-alive\n\nid: 2\nevent: workflow.step',
    );
    expect(events).toEqual([{ id: '1', event: 'workflow.run.started', data: '{"a":1}' }]);
    expect(rest).toBe('id: 2\nevent: workflow.step');
  });

  it('joins multi-line data and accepts CRLF line ends', () => {
    const { events } = parseSseChunk('data: one\r\ndata: two\r\n\r\n');
    expect(events).toEqual([{ event: 'message', data: 'one\ntwo' }]);
  });
});
