import type {
  ApiKeyView,
  IssuedApiKeyView,
  ReplayView,
  RunView,
  StoredEventView,
} from '@baton/contracts';
import { AgentWorker } from '@baton/sdk';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI_MAIN, runCliProcess, startCli } from './support/cli-process';
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
        // One gate per person greeted: each test holds its own run's step.
        await gate.pass((input as { who: string }).who);
        return { greeting: `hello ${(input as { who: string }).who}` };
      },
    });
    await worker.start();
    const run = startCli(
      ['run', 'cli-greet', '--input', `@${join(home, 'input.json')}`, '--wait'],
      env,
    );
    // The step is shown as started while it is still held at the gate: the progress is live.
    await gate.arrived('Ada');
    await eventually(async () =>
      run.stderrSoFar().includes('▶ step hello started') ? true : undefined,
    );
    expect(run.stderrSoFar()).not.toContain('completed');
    gate.open('Ada');
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

  it('follows a run’s log live with logs -f --run, and ends with the run', async () => {
    const started = await api<RunView>('POST', '/v1/workflows/cli-greet/runs', {
      body: { input: { who: 'Grace' } },
    });
    expect(started.status).toBe(201);
    const logs = startCli(['logs', '-f', '--run', started.body.id], env);
    await gate.arrived('Grace');
    // Shown while the step is held at the gate: the log is followed, not read afterwards.
    await eventually(async () =>
      logs.stderrSoFar().includes('▶ step hello started') ? true : undefined,
    );
    expect(logs.stderrSoFar()).not.toContain('✓ step hello completed');
    gate.open('Grace');
    const result = await logs.done;
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/✓ step hello completed/);
    expect(result.stderr).toContain(`run ${started.body.id} completed in `);
    // The same log afterwards, without -f: the run's events, oldest first.
    const after = await baton(['logs', '--run', started.body.id]);
    expect(after.code).toBe(0);
    expect(after.stdout.indexOf('▶ step hello started')).toBeLessThan(
      after.stdout.indexOf('✓ step hello completed'),
    );
  });

  it('scales an agent: a count pins min and max, --min/--max move one, nothing given is a usage error', async () => {
    const pinned = await baton(['agents', 'scale', 'cli-greeter', '2', '-o', 'json']);
    expect(pinned.code).toBe(0);
    expect(JSON.parse(pinned.stdout)).toMatchObject({ min_instances: 2, max_instances: 2 });
    const ranged = await baton(['agents', 'scale', 'cli-greeter', '--min', '1', '--max', '4']);
    expect(ranged.code).toBe(0);
    expect(
      (await api<{ min_instances: number; max_instances: number }>('GET', '/v1/agents/cli-greeter'))
        .body,
    ).toMatchObject({ min_instances: 1, max_instances: 4 });
    const listed = await baton(['agents', 'ls']);
    expect(listed.stdout.split('\n')[0]).toMatch(
      /^NAME\s+TYPE\s+RUNTIME\s+STATUS\s+INSTANCES\s+VERSION$/,
    );
    expect(listed.stdout).toMatch(/^cli-greeter\s+worker\s+\S+\s+active\s+1-4\s/m);
    const nothing = await baton(['agents', 'scale', 'cli-greeter']);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toBe('baton: error: instances: give a count, --min or --max\n');
    const tooMany = await baton(['agents', 'scale', 'cli-greeter', '--min', '5', '--max', '2']);
    expect(tooMany.code).toBe(5);
    expect(tooMany.stderr.trim().split('\n')).toHaveLength(1);
    expect(tooMany.stderr).toMatch(/^baton: error: 4\d\d .*instances/);
  });

  it('tails events of a type pattern as they are stored, one JSON line each', async () => {
    const kind = `cli-tail-${randomUUID().slice(0, 8)}`;
    const tail = startCli(
      ['events', 'tail', '--type', `${kind}.*`, '--max', '2', '--interval', '200', '-o', 'json'],
      env,
    );
    // Published once the tail has read where the store stands: it prints what is stored from then on.
    await eventually(
      () => Promise.resolve(tail.stderrSoFar().includes('tailing') ? true : undefined),
      60_000,
      'the tail to start',
    );
    for (const [n, type] of [`${kind}.created`, 'cli-other.created', `${kind}.updated`].entries()) {
      const published = await api('POST', '/v1/events', { body: { type, data: { n } } });
      expect(published.status).toBe(202);
    }
    const result = await tail.done;
    expect(result.code).toBe(0);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as StoredEventView);
    // Two events without a subject may land on different partitions: stored in either order.
    const printed = lines.map((event) => [event.type, event.data] as const);
    expect(printed.sort(([a], [b]) => a.localeCompare(b))).toEqual([
      [`${kind}.created`, { n: 0 }],
      [`${kind}.updated`, { n: 2 }],
    ]);
  });

  it('replays events to a topic, reporting progress until it is done', async () => {
    const kind = `cli-replay-${randomUUID().slice(0, 8)}`;
    for (let n = 0; n < 6; n++) {
      await api('POST', '/v1/events', { body: { type: `${kind}.logged`, data: { n } } });
    }
    await eventually(async () => {
      const page = await api<{ items: unknown[] }>('GET', `/v1/events?type=${kind}.logged`);
      return page.body.items.length === 6 ? true : undefined;
    });
    // 2 events a second: a few seconds of progress lines (stderr is no terminal: no redrawn bar).
    const result = await baton([
      'replay',
      '--type',
      `${kind}.*`,
      '--to',
      `e2e.cli-replayed.${kind}`,
      '--rate',
      '2',
      '-o',
      'json',
    ]);
    expect(result.code).toBe(0);
    const replay = JSON.parse(result.stdout) as ReplayView;
    expect(replay).toMatchObject({ status: 'completed', processed: 6, published: 6 });
    const progress = result.stderr.trim().split('\n');
    expect(progress.at(-1)).toBe(`replay ${replay.id} completed: 6/6 events`);
    expect(
      progress.some((line) => new RegExp(`^replay ${replay.id}: [0-5]/6 events$`).test(line)),
    ).toBe(true);

    const both = await baton(['replay', '--type', `${kind}.*`]);
    expect(both.code).toBe(2);
    expect(both.stderr).toBe('baton: error: to: give exactly one of --to TOPIC or --original\n');
  });

  it('prints a completion script that bash runs to complete commands and options', async () => {
    for (const shell of ['bash', 'zsh']) {
      const script = await baton(['completion', shell]);
      expect(script.code).toBe(0);
      expect(script.stdout).toContain('complete -o default -F _baton_complete baton');
    }
    const complete = (words: string) =>
      execFileSync(
        'bash',
        [
          '-c',
          `source <("${process.execPath}" "${CLI_MAIN}" completion bash)
           COMP_WORDS=(${words}); COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 ))
           _baton_complete; echo "\${COMPREPLY[*]}"`,
        ],
        { env: { PATH: process.env.PATH ?? '', HOME: home }, encoding: 'utf8' },
      ).trim();
    expect(complete('baton "ru"').split(' ').sort()).toEqual(['run', 'runs']);
    expect(complete('baton runs ""').split(' ')).toEqual(
      expect.arrayContaining(['cancel', 'get', 'ls', 'retry']),
    );
    expect(complete('baton keys create --r').split(' ')).toEqual(['--role']);
    const unknownShell = await baton(['completion', 'fish']);
    expect(unknownShell).toMatchObject({
      code: 2,
      stderr: "baton: error: shell: 'fish' is not bash or zsh\n",
    });
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

    // A key that never existed: the same one line as a revoked one, whatever the command.
    const wrongKey = await baton(['agents', 'ls'], { BATON_API_KEY: 'bk_not_a_key' });
    expect(wrongKey.code).toBe(3);
    expect(wrongKey.stderr).toMatch(/^baton: error: 401 [^\n]*BATON_API_KEY[^\n]*\n$/);

    // An endpoint that answers, but is not Baton: one line, no stack, non-zero.
    const notBaton = await baton(['runs', 'ls'], {
      BATON_ENDPOINT: `${platformState().gatewayUrl}/nothing-here`,
    });
    expect(notBaton.code).not.toBe(0);
    expect(notBaton.stderr.trim().split('\n')).toHaveLength(1);
    expect(notBaton.stderr).toMatch(/^baton: error: 404 /);

    // --debug adds the stack; without it there is none.
    expect(missing.stderr).not.toMatch(/\n\s+at /);
    const debug = await baton(['runs', 'get', '00000000-0000-4000-8000-000000000000', '--debug']);
    expect(debug.stderr).toMatch(/\n\s+at /);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
