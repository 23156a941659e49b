import { metricsAllowed, metricsPortOf } from './metrics-access';

describe('metrics access', () => {
  it('puts metrics on PORT + 6000 unless METRICS_PORT says otherwise, never on PORT', () => {
    expect(metricsPortOf({ PORT: 3000 })).toBe(9000);
    expect(metricsPortOf({ PORT: 3000, METRICS_PORT: 9464 })).toBe(9464);
    expect(metricsPortOf({ PORT: 3000, METRICS_PORT: 0 })).toBeUndefined();
    expect(metricsPortOf({ PORT: 3000, METRICS_PORT: 3000 })).toBeUndefined();
    expect(metricsPortOf({ PORT: 62000 })).toBeUndefined();
  });

  it('asks for the bearer token only when one is set', () => {
    const token = 'a-metrics-token-of-some-length';
    expect(metricsAllowed(undefined, undefined)).toBe(true);
    expect(metricsAllowed(undefined, token)).toBe(false);
    expect(metricsAllowed('Bearer wrong', token)).toBe(false);
    expect(metricsAllowed(`Basic ${token}`, token)).toBe(false);
    expect(metricsAllowed(`Bearer ${token}`, token)).toBe(true);
    expect(metricsAllowed(`bearer ${token}`, token)).toBe(true);
  });
});
