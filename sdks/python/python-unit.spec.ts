import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * The Python client's own unit tests (standard library unittest, no platform),
 * run with `npm run test:unit` so that the one command covers both clients.
 */
describe('the Python client (sdks/python) unit tests', () => {
  it('pass under python3 -m unittest', () => {
    const result = spawnSync(
      'python3',
      ['-m', 'unittest', 'discover', '-s', 'tests/unit', '-t', '.'],
      { cwd: join(__dirname), encoding: 'utf8', timeout: 120_000 },
    );
    // unittest reports on stderr: show it when something failed.
    expect({ status: result.status, output: result.status === 0 ? 'ok' : result.stderr }).toEqual({
      status: 0,
      output: 'ok',
    });
    expect(result.stderr).toMatch(/Ran \d+ tests/);
  });
});
