import { fixKafkajsIdleTimer, scheduleCheckOnlyWhilePending } from './kafkajs-idle-timer-fix';

interface QueueUnderTest {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests: jest.Mock;
  scheduleCheckPendingRequests(): void;
}

function queue(pending: unknown[], throttledUntil = -1): QueueUnderTest {
  return {
    pending,
    throttledUntil,
    throttleCheckTimeoutId: null,
    checkPendingRequests: jest.fn(),
    scheduleCheckPendingRequests: scheduleCheckOnlyWhilePending,
  };
}

describe('kafkajs idle timer fix', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('arms no timer when nothing is pending', () => {
    const q = queue([]);
    q.scheduleCheckPendingRequests();
    expect(q.throttleCheckTimeoutId).toBeNull();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('re-checks pending requests every 10 ms while only the in-flight limit holds them', () => {
    const q = queue(['request']);
    q.scheduleCheckPendingRequests();
    jest.advanceTimersByTime(9);
    expect(q.checkPendingRequests).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(q.checkPendingRequests).toHaveBeenCalledTimes(1);
    expect(q.throttleCheckTimeoutId).toBeNull();
  });

  it('waits out a client-side throttle before checking', () => {
    const q = queue(['request'], Date.now() + 250);
    q.scheduleCheckPendingRequests();
    jest.advanceTimersByTime(249);
    expect(q.checkPendingRequests).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(q.checkPendingRequests).toHaveBeenCalledTimes(1);
  });

  it('keeps one scheduled check at a time', () => {
    const q = queue(['request']);
    q.scheduleCheckPendingRequests();
    q.scheduleCheckPendingRequests();
    expect(jest.getTimerCount()).toBe(1);
  });

  it("replaces kafkajs' own method, so an idle connection's queue stops re-arming itself", () => {
    expect(fixKafkajsIdleTimer()).toBe(true);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const RequestQueue = require('kafkajs/src/network/requestQueue') as new (options: object) => {
      checkPendingRequests(): void;
      throttleCheckTimeoutId: NodeJS.Timeout | null;
      destroy(): void;
    };
    const idle = new RequestQueue({
      maxInFlightRequests: 1,
      requestTimeout: 30_000,
      enforceRequestTimeout: false,
      clientId: 'test',
      broker: 'localhost:9092',
      logger: { debug: () => undefined },
    });
    idle.checkPendingRequests(); // what kafkajs runs after every fulfilled request
    expect(idle.throttleCheckTimeoutId).toBeNull();
    idle.destroy();
  });
});
