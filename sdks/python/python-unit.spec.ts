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

  it('is Python 3.9 grammar throughout (no match, no parenthesised with, no 3.10+ syntax)', () => {
    // ast's feature_version parses as 3.9 would, whatever python3 runs the check.
    const check = [
      'import ast, pathlib',
      "for p in sorted(pathlib.Path('.').rglob('*.py')):",
      '    ast.parse(p.read_text(), filename=str(p), feature_version=(3, 9))',
      "print('ok')",
    ].join('\n');
    const result = spawnSync('python3', ['-c', check], {
      cwd: join(__dirname),
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(result.stdout.trim()).toBe('ok');
  });
});
