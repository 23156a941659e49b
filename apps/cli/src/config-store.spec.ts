import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configPath, readConfig, resolveCredentials, writeConfig } from './config-store';

describe('config store', () => {
  it('writes the key readable by its owner only, and narrows an existing file', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'baton-config-')), 'baton', 'config.json');
    writeConfig(path, { endpoint: 'http://h:1', api_key: 'secret' });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    writeFileSync(path, '{}', { mode: 0o644 });
    writeConfig(path, { api_key: 'k' });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readConfig(path)).toEqual({ api_key: 'k' });
  });

  it('lets a flag, then the environment, win over the file', () => {
    const stored = { endpoint: 'http://file:1', api_key: 'file-key' };
    expect(resolveCredentials(stored, {}, {})).toMatchObject({
      endpoint: 'http://file:1',
      apiKey: 'file-key',
    });
    const env = { BATON_ENDPOINT: 'http://env:1', BATON_API_KEY: 'env-key' };
    expect(resolveCredentials(stored, env, {})).toMatchObject({
      endpoint: 'http://env:1',
      apiKey: 'env-key',
      source: { endpoint: 'BATON_ENDPOINT', apiKey: 'BATON_API_KEY' },
    });
    expect(resolveCredentials(stored, env, { endpoint: 'http://flag:1' }).endpoint).toBe(
      'http://flag:1',
    );
  });

  it('says what is missing or wrong', () => {
    expect(() => resolveCredentials({}, {}, {})).toThrow(
      'no API key: run `baton login` or set BATON_API_KEY',
    );
    expect(() =>
      resolveCredentials({ api_key: 'k' }, { BATON_ENDPOINT: 'localhost:3000' }, {}),
    ).toThrow("endpoint: 'localhost:3000' must be an http:// or https:// URL");
  });

  it('finds the file under BATON_CONFIG or XDG_CONFIG_HOME', () => {
    expect(configPath({ BATON_CONFIG: '/x/c.json' })).toBe('/x/c.json');
    expect(configPath({ XDG_CONFIG_HOME: '/cfg' })).toBe('/cfg/baton/config.json');
  });
});
