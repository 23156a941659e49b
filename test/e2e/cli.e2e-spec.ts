import type { ApiKeyView, IssuedApiKeyView, RunView } from '@baton/contracts';
import { AgentWorker } from '@baton/sdk';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliProcess, startCli } from './support/cli-process';
import { Gate } from './support/gate';
import { api, eventually, platformState } from './support/platform';

const AGENT = `# the agent behind cli-greet
agent:
  name: cli-greeter
  type: worker
  capabilities: [greet]
  max_instances: 2
`;

const WORKFLOW = `# greets whoever the input names
workflow:
  name: cli-greet
  description: greets
  steps:
    - name: hello
      agent: cli-greeter
      input:
        who: \${input.who}
`;

/** `timeout: soon` on line 6, column 12, is not a duration. */
const INVALID = `workflow:
  name: cli-broken
  steps:
    - name: only
      agent: cli-greeter
  timeout: soon
`;

/**
 * The `baton` CLI, built and run as its own process against the real platform,
 * as a user's shell runs it.
 */
describe('baton CLI', () => {
  // Each command is a new Node process making a few API calls: generous on a loaded machine.
  jest.setTimeout(240_000);
  const gate = new Gate();
  let worker: AgentWorker;
  let home: string;
  let env: Record<string, string>;
  const baton = (args: string[], extraEnv: Record<string, string> = {}, stdin?: string) =>
    runCliProcess(args, { ...env, ...extraEnv }, { stdin });

  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'baton-cli-e2e-'));
    // No BATON_API_KEY: the commands use what `baton login` stored.
    env = { HOME: home, BATON_CONFIG: join(home, 'config', 'baton.json') };
    mkdirSync(join(home, 'deploy', 'agents'), { recursive: true });
    mkdirSync(join(home, 'deploy', 'workflows'), { recursive: true });
    writeFileSync(join(home, 'deploy', 'agents', 'greeter.yaml'), AGENT);
    writeFileSync(join(home, 'deploy', 'workflows', 'greet.yaml'), WORKFLOW);
    writeFileSync(join(home, 'input.json'), JSON.stringify({ who: 'Ada' }));
    writeFileSync(join(home, 'broken.yaml'), INVALID);
  });

  afterAll(async () => {
    gate.openAll();
    await worker?.stop();
  });

  it('logs in: endpoint and key in a file only its owner can read', async () => {
    const state = platformState();
    const result = await baton(['login', '--endpoint', state.gatewayUrl], {}, `${state.apiKey}\n`);
    expect(result).toMatchObject({ code: 0, stdout: '' });
    expect(result.stderr).toContain(`logged in to ${state.gatewayUrl}`);
    const file = env.BATON_CONFIG!;
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      endpoint: state.gatewayUrl,
      api_key: state.apiKey,
    });
  });

  it('refuses a login with a wrong key in one line, storing nothing', async () => {
    const result = await baton(
      ['login', '--endpoint', platformState().gatewayUrl, '--api-key', 'bk_wrong'],
      { BATON_CONFIG: join(home, 'other.json') },
    );
    expect(result.code).toBe(3);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^baton: error: 401 /);
    expect(() => statSync(join(home, 'other.json'))).toThrow();
  });

  it('applies a folder, and applying it again changes nothing', async () => {
    const first = await baton([
      'apply',
      '-f',
      join(home, 'deploy', 'agents'),
      join(home, 'deploy', 'workflows'),
    ]);
    expect(first.code).toBe(0);
    expect(first.stdout.split('\n')).toEqual(
      expect.arrayContaining(['+ agent/cli-greeter (create)', '+ workflow/cli-greet (create)']),
    );
    expect(first.stderr).toContain('applied: 2 created, 0 updated, 0 unchanged');

    const second = await baton(['apply', '-f', join(home, 'deploy')]);
    expect(second.code).toBe(0);
    expect(second.stdout.trim().split('\n')).toEqual([
      '= agent/cli-greeter (unchanged)',
      '= workflow/cli-greet (unchanged)',
    ]);
    expect(second.stderr).toContain('applied: 0 created, 0 updated, 2 unchanged');
    const versions = await api<{ latest_version: number }>(
      'GET',
      '/v1/workflows/cli-greet/versions',
    );
    expect(versions.body.latest_version).toBe(1);
    const agent = await api<{ version: number }>('GET', '/v1/agents/cli-greeter');
    expect(agent.body.version).toBe(1);
  });

  it('prints the diff of what a changed file changes, and applies it', async () => {
    writeFileSync(
      join(home, 'deploy', 'agents', 'greeter.yaml'),
      AGENT.replace('max_instances: 2', 'max_instances: 3'),
    );
    const changed = WORKFLOW.replace('description: greets', 'description: greets warmly');
    writeFileSync(join(home, 'deploy', 'workflows', 'greet.yaml'), changed);
    const dryRun = await baton(['apply', '-f', join(home, 'deploy'), '--dry-run']);
    expect(dryRun.code).toBe(0);
    expect(dryRun.stderr).toContain('would apply: 0 created, 2 updated, 0 unchanged');
    expect(
      (await api<{ latest_version: number }>('GET', '/v1/workflows/cli-greet/versions')).body
        .latest_version,
    ).toBe(1);

    const result = await baton(['apply', '-f', join(home, 'deploy')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('~ agent/cli-greeter (update)\n    max_instances: 2 → 3');
    expect(result.stdout).toContain('~ workflow/cli-greet (update)');
    expect(result.stdout).toContain(
      '    -  description: greets\n    +  description: greets warmly',
    );
    expect(
      (await api<{ latest_version: number }>('GET', '/v1/workflows/cli-greet/versions')).body
        .latest_version,
    ).toBe(2);
    expect(
      (await api<{ max_instances: number }>('GET', '/v1/agents/cli-greeter')).body.max_instances,
    ).toBe(3);
  });

  it('validates a file: each problem at its line and column, exit 5', async () => {
    const file = join(home, 'broken.yaml');
    const result = await baton(['validate', file]);
    expect(result.code).toBe(5);
    expect(result.stdout).toMatch(
      new RegExp(`^${escape(file)}:6:12: error: .*\\(workflow\\.timeout\\)`, 'm'),
    );
    expect(result.stderr.trim()).toBe(`baton: error: ${file}: 1 error`);
    const good = await baton(['validate', join(home, 'deploy', 'workflows', 'greet.yaml')]);
    expect(good).toMatchObject({ code: 0 });
    expect(good.stdout).toContain('greet.yaml: valid');
  });

  it('runs a workflow with --wait, showing each step live, and prints its output', async () => {
    worker = new AgentWorker({
      agent: 'cli-greeter',
      brokers: platformState().kafkaBrokers.split(','),
      handler: async (input) => {
        await gate.pass('hello');
        return { greeting: `hello ${(input as { who: string }).who}` };
      },
    });
    await worker.start();
    const run = startCli(
      ['run', 'cli-greet', '--input', `@${join(home, 'input.json')}`, '--wait'],
      env,
    );
    // The step is shown as started while it is still held at the gate: the progress is live.
    await gate.arrived('hello');
    await eventually(async () =>
      run.stderrSoFar().includes('▶ step hello started') ? true : undefined,
    );
    expect(run.stderrSoFar()).not.toContain('completed');
    gate.open('hello');
    const result = await run.done;
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/✓ step hello completed/);
    expect(result.stderr).toMatch(/run [0-9a-f-]{36} completed in /);
    expect(JSON.parse(result.stdout)).toEqual({ greeting: 'hello Ada' });
  });

  it('lists runs as json, and gets one', async () => {
    const list = await baton(['runs', 'ls', '--workflow', 'cli-greet', '-o', 'json']);
    expect(list.code).toBe(0);
    const page = JSON.parse(list.stdout) as { items: RunView[] };
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({ workflow: 'cli-greet', status: 'completed' });
    const table = await baton(['runs', 'ls', '--workflow', 'cli-greet']);
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+WORKFLOW\s+STATUS\s+CREATED\s+FINISHED$/);
    expect(table.stdout).toContain(`${page.items[0]!.id}  cli-greet@2  completed`);
    const one = await baton(['runs', 'get', page.items[0]!.id, '-o', 'yaml']);
    expect(one.stdout).toContain('status: completed');
  });

  it('creates a key that works, lists it, and revokes it: then it is refused in one line', async () => {
    const created = await baton([
      'keys',
      'create',
      '--name',
      'cli-ci',
      '--role',
      'viewer',
      '-o',
      'json',
    ]);
    expect(created.code).toBe(0);
    const issued = JSON.parse(created.stdout) as IssuedApiKeyView;
    expect(issued).toMatchObject({ name: 'cli-ci', role: 'viewer', status: 'active' });

    // The environment wins over the login file.
    const asViewer = await baton(['runs', 'ls', '-o', 'json'], { BATON_API_KEY: issued.key });
    expect(asViewer.code).toBe(0);

    const listed = await baton(['keys', 'ls', '-o', 'json']);
    const keys = (JSON.parse(listed.stdout) as { items: ApiKeyView[] }).items;
    expect(keys.find((k) => k.id === issued.id)).toMatchObject({ prefix: issued.prefix });
    expect(listed.stdout).not.toContain(issued.key);

    expect(await baton(['keys', 'revoke', issued.id])).toMatchObject({ code: 0 });
    const refused = await baton(['runs', 'ls'], { BATON_API_KEY: issued.key });
    expect(refused.code).toBe(3);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(
      /^baton: error: 401 Authentication required: .*\(check BATON_API_KEY or run `baton login`\)\n$/,
    );
  });

  it('answers bad input with one line naming the field and a script-usable exit code', async () => {
    const badRole = await baton(['keys', 'create', '--name', 'x', '--role', 'wizard']);
    expect(badRole.code).toBe(5);
    expect(badRole.stderr).toMatch(/^baton: error: 422 [^\n]*role[^\n]*\n$/);

    const missing = await baton(['runs', 'get', '00000000-0000-4000-8000-000000000000']);
    expect(missing.code).toBe(4);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);

    const nowhere = await baton(['runs', 'ls'], { BATON_ENDPOINT: 'http://127.0.0.1:1999' });
    expect(nowhere.code).toBe(6);
    expect(nowhere.stderr).toBe(
      'baton: error: cannot reach http://127.0.0.1:1999: connection refused (is Baton running there?)\n',
    );

    const usage = await baton(['runs', 'frobnicate']);
    expect(usage.code).toBe(2);

    // --debug adds the stack; without it there is none.
    expect(missing.stderr).not.toMatch(/\n\s+at /);
    const debug = await baton(['runs', 'get', '00000000-0000-4000-8000-000000000000', '--debug']);
    expect(debug.stderr).toMatch(/\n\s+at /);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
