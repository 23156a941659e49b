import { AgentWorker } from '@baton/sdk';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { transpileModule, ModuleKind, ScriptTarget } from 'typescript';
import { exampleAgents } from '../../examples/agents/customer-service.agents';
import { api, platformState } from './support/platform';
import { WebhookReceiver } from './support/webhook-receiver';

const ROOT = path.resolve(__dirname, '../..');
const LOCAL_ENDPOINT = 'http://127.0.0.1:3000';

/** The fenced blocks of one language in a section of a markdown file, as the reader copies them. */
function blocks(file: string, section: string, language: string): string[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const start = text.indexOf(section);
  if (start < 0) throw new Error(`${file} has no section '${section}'`);
  const next = text.indexOf('\n## ', start + section.length);
  const body = text.slice(start, next < 0 ? undefined : next);
  const found = [...body.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map(
    (match) => match[1]!.replace(/^ {2}/gm, ''),
  );
  if (found.length === 0) throw new Error(`${file} '${section}' has no ${language} block`);
  return found;
}

function run(
  command: string,
  args: string[],
  options: { cwd: string; env: Record<string, string> },
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { ...options, timeout: 180_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error.code as number | undefined) ?? 1) : 0, stdout, stderr }),
    );
  });
}

/**
 * The quick starts of README.md, docs/cli.md and docs/clients-typescript.md,
 * run from the documents themselves, so they cannot drift: each in a folder
 * laid out as the checkout after `npm run up` (the example agents served, the
 * seed's workflow registered, the key in `.cache/api-key`). The one change
 * made to what the reader copies is the address: the suite's gateway instead
 * of http://127.0.0.1:3000. (docs/clients-python.md's runs in the Python suite.)
 */
describe('quick starts, run as written', () => {
  jest.setTimeout(300_000);
  const inbox = new WebhookReceiver();
  const workers: AgentWorker[] = [];
  let checkout: string;
  let env: Record<string, string>;
  const local = (code: string) => code.split(LOCAL_ENDPOINT).join(platformState().gatewayUrl);

  beforeAll(async () => {
    // What `npm run up` sets up: the example agents, served; the seed's workflow; its connection.
    for (const agent of exampleAgents) {
      const registered = await api('POST', '/v1/agents', { body: agent.registration });
      expect([200, 201]).toContain(registered.status);
      workers.push(
        new AgentWorker({
          agent: agent.registration.name,
          handler: agent.handler,
          brokers: platformState().kafkaBrokers.split(','),
        }),
      );
    }
    await Promise.all(workers.map((worker) => worker.start()));
    const inboxUrl = await inbox.start();
    const connection = { connector: 'webhook', config: { url: `${inboxUrl}/messages` } };
    const created = await api('POST', '/v1/connections', {
      body: { name: 'default', ...connection, secrets: { signing_secret: 'quick-start' } },
    });
    // Creating a name that exists replaces it (PUT semantics): 200 when another spec made
    // `default` for its own receiver, now pointed at this one.
    expect([200, 201]).toContain(created.status);
    const workflow = await api('POST', '/v1/workflows', {
      raw: readFileSync(
        path.join(ROOT, 'examples/workflows/customer-inquiry-handler.yaml'),
        'utf8',
      ),
      contentType: 'application/yaml',
    });
    expect([200, 201]).toContain(workflow.status);

    checkout = mkdtempSync(path.join(tmpdir(), 'baton-quick-start-'));
    for (const entry of ['package.json', 'node_modules', 'dist', 'examples', 'sdks']) {
      symlinkSync(path.join(ROOT, entry), path.join(checkout, entry));
    }
    mkdirSync(path.join(checkout, '.cache'));
    writeFileSync(path.join(checkout, '.cache', 'api-key'), `${platformState().apiKey}\n`);
    mkdirSync(path.join(checkout, 'home'));
    env = {
      PATH: process.env.PATH ?? '',
      HOME: path.join(checkout, 'home'),
      npm_config_cache: path.join(checkout, 'home', '.npm'),
      npm_config_update_notifier: 'false',
    };
  });

  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    await inbox.stop();
  });

  it("docs/cli.md's quick start: login, validate, apply (unchanged), run --wait, runs ls", async () => {
    const [script] = blocks('docs/cli.md', '## Quick start', 'sh');
    const result = await run('bash', ['-e', '-c', local(script!)], { cwd: checkout, env });
    if (result.code !== 0) console.error(result.stdout, result.stderr);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('= workflow/customer-inquiry-handler (unchanged)');
    expect(result.stderr).toMatch(/✓ step send-response completed/);
    expect(result.stderr).toMatch(/run [0-9a-f-]{36} completed in /);
    expect(result.stdout).toMatch(/^ID\s+WORKFLOW\s+STATUS/m);
  });

  it("docs/clients-typescript.md's quick start: a run followed live, then a typed error", async () => {
    const [source] = blocks('docs/clients-typescript.md', '## Quick start', 'ts');
    const output = await runTypeScript(checkout, env, local(source!));
    expect(output.code).toBe(0);
    expect(output.stdout).toMatch(/^workflow\.step\.completed classify-inquiry$/m);
    expect(output.stdout).toMatch(/^completed /m);
    // The code names the domain (ADR 0038); its category is RESOURCE.NOT_FOUND.
    expect(output.stdout).toMatch(/^404 RUN\.NOT_FOUND 404 /m);
  });

  it("README's quick starts: Python, TypeScript and the CLI", async () => {
    const section = '## Clients: Python, TypeScript, CLI, MCP';
    const [python] = blocks('README.md', section, 'python');
    const py = await run('python3', ['-c', local(python!)], {
      cwd: checkout,
      env: { ...env, PYTHONPATH: path.join(checkout, 'sdks', 'python') },
    });
    if (py.code !== 0) console.error(py.stderr);
    expect(py.code).toBe(0);
    expect(py.stdout).toContain("'status': 'completed'");

    const [ts] = blocks('README.md', section, 'ts');
    const fromTs = await runTypeScript(checkout, env, local(ts!));
    expect(fromTs.code).toBe(0);
    expect(fromTs.stdout).toContain("status: 'completed'");

    const [sh] = blocks('README.md', section, 'sh');
    const cli = await run('bash', ['-e', '-c', local(sh!)], { cwd: checkout, env });
    if (cli.code !== 0) console.error(cli.stdout, cli.stderr);
    expect(cli.code).toBe(0);
    expect(cli.stderr).toMatch(/run [0-9a-f-]{36} completed in /);
  });
});

/**
 * Compiles a TypeScript quick start as `npm run build` would and runs it with
 * node, `@baton/sdk` resolving to the built SDK (as the repository's path
 * alias does).
 */
async function runTypeScript(
  checkout: string,
  env: Record<string, string>,
  source: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const { outputText } = transpileModule(source, {
    compilerOptions: {
      module: ModuleKind.CommonJS,
      target: ScriptTarget.ES2022,
      esModuleInterop: true,
    },
  });
  const modules = path.join(checkout, 'node-path');
  mkdirSync(path.join(modules, '@baton', 'sdk'), { recursive: true });
  writeFileSync(
    path.join(modules, '@baton', 'sdk', 'index.js'),
    `module.exports = require(${JSON.stringify(path.join(ROOT, 'dist/libs/sdk/src/index.js'))});\n`,
  );
  const file = path.join(checkout, `quick-start-${Date.now()}.js`);
  writeFileSync(file, outputText);
  const result = await run(process.execPath, [file], {
    cwd: checkout,
    env: { ...env, NODE_PATH: modules },
  });
  if (result.code !== 0) console.error(result.stdout, result.stderr);
  return result;
}
