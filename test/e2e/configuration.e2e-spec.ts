import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

describe('configuration', () => {
  it.each([
    ['workflow-engine', { PORT: '99999' }, 'PORT'],
    ['gateway', { KAFKA_BROKERS: 'not a broker list' }, 'KAFKA_BROKERS'],
    ['agent-manager', { DATABASE_URL: 'mysql://nope' }, 'DATABASE_URL'],
  ])(
    '%s stops with one clear line when %j is bad',
    (service, env, variable) => {
      const result = spawnSync(process.execPath, [`dist/apps/${service}/src/main.js`], {
        cwd: ROOT,
        env: { ...process.env, ...env },
        encoding: 'utf8',
        // Generous: on a loaded 2-core machine loading the compiled service alone took over 20 s.
        timeout: 60_000,
      });
      expect(result.status).toBe(1);
      const lines = result.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        new RegExp(`^baton-${service}: invalid configuration: ${variable}: `),
      );
      expect(result.stdout).toBe('');
    },
    90_000,
  );
});
