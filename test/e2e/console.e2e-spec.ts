import { AgentWorker } from '@baton/sdk';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { parse } from 'yaml';
import { exampleAgents } from '../../examples/agents/customer-service.agents';
import { openConsolePage, type ConsolePage } from './support/browser';
import { api, platformState, sdk } from './support/platform';
import { WebhookReceiver } from './support/webhook-receiver';

const SEED_PATH = path.join(__dirname, '../../examples/workflows/customer-inquiry-handler.yaml');
const SEED = fs.readFileSync(SEED_PATH, 'utf8');
/** The tests' screenshots are the documentation's (docs/console.md). */
// A browser flow crosses several services (and, for SSO, an IdP): more than the default 60 s
// on a loaded CI machine.
jest.setTimeout(180_000);

/** The seed's steps as a user builds them on the canvas: kind, then the side panel's fields. */
const SEED_STEPS: { kind: 'agent' | 'action'; fields: Record<string, string> }[] = [
  {
    kind: 'agent',
    fields: { name: 'classify-inquiry', agent: 'classification-agent', timeout: '5s' },
  },
  {
    kind: 'agent',
    fields: {
      name: 'route-to-specialist',
      agent: 'routing-agent',
      input: '${classify-inquiry.output}',
    },
  },
  {
    kind: 'agent',
    fields: {
      name: 'process-inquiry',
      agent: '${route-to-specialist.specialist}',
      input: '${classify-inquiry.context}',
    },
  },
  {
    kind: 'action',
    fields: {
      name: 'send-response',
      action: 'send-message',
      input: '${process-inquiry.response}',
    },
  },
];

/**
 * The web console in Debian's Chromium, against the real platform (every
 * service its own process, real Kafka and Postgres): sign in, build the seed
 * workflow by drag and drop, save and run it, watch the run live, edit the
 * YAML, see a validation error at its line, replay events.
 */
describe('web console in Chromium', () => {
  const inbox = new WebhookReceiver();
  const workers: AgentWorker[] = [];
  const cspViolations: string[] = [];
  let browser: Browser;
  let page: Page;
  let shot: ConsolePage['screenshot'];
  let runId: string;
  const consoleUrl = () => `${platformState().gatewayUrl}/console`;

  beforeAll(async () => {
    const orchestrate = sdk();
    for (const agent of exampleAgents) await orchestrate.registerAgent(agent.registration);
    for (const agent of exampleAgents) {
      workers.push(
        new AgentWorker({
          agent: agent.registration.name,
          handler: agent.handler,
          brokers: platformState().kafkaBrokers.split(','),
        }),
      );
    }
    await Promise.all(workers.map((w) => w.start()));
    const inboxUrl = await inbox.start();
    const connection = await api('POST', '/v1/connections', {
      body: {
        name: 'default',
        connector: 'webhook',
        config: { url: `${inboxUrl}/messages` },
        secrets: { signing_secret: 'e2e-console-secret' },
      },
    });
    expect([200, 201, 409]).toContain(connection.status);

    ({ browser, page, screenshot: shot } = await openConsolePage());
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all(workers.map((w) => w.stop()));
    await inbox.stop();
  });

  it('is served at /console with a strict CSP, the SPA fallback and bundled assets only', async () => {
    const response = await fetch(`${consoleUrl()}/runs/some-run`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    const html = await response.text();
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(assets.length).toBeGreaterThanOrEqual(2);
    for (const asset of assets) expect(asset).toMatch(/^\/console\/assets\//);

    const missing = await fetch(`${consoleUrl()}/assets/not-there.js`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
  });

  it('signs in with an API key, refusing a wrong one, and keeps the key out of localStorage', async () => {
    await page.goto(`${consoleUrl()}/`);
    await page.getByLabel('API key').fill('bk_not_a_real_key_at_all_0000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('The key was refused').waitFor();
    await shot('sign-in');

    await page.getByLabel('API key').fill(platformState().apiKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Workflows' }).waitFor();
    // Evaluated in the page (this file is compiled without the DOM's types).
    const storage = {
      local: await page.evaluate<string>('JSON.stringify({ ...localStorage })'),
      session: await page.evaluate<string>('JSON.stringify({ ...sessionStorage })'),
    };
    expect(storage.local).not.toContain(platformState().apiKey);
    expect(storage.session).toContain(platformState().apiKey);
  });

  it('builds the seed workflow on an empty canvas by drag and drop, and saves it', async () => {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Designer' })
      .click();
    await page.getByText('Drag a step from the palette and drop it here.').waitFor();
    await page.getByLabel('Workflow name').fill('customer-inquiry-handler');

    for (const [index, step] of SEED_STEPS.entries()) {
      await page.dragAndDrop(`[data-palette="${step.kind}"]`, '[data-testid="canvas"]');
      // The dropped step is selected: its side panel edits it.
      await page
        .locator('.react-flow__node')
        .nth(index + 1)
        .waitFor();
      for (const [field, value] of Object.entries(step.fields)) {
        await page.locator(`#step-${field}`).fill(value);
      }
    }
    for (const step of SEED_STEPS) {
      await page.locator(`.step-node[data-step-name="${step.fields.name}"]`).waitFor();
    }
    // Four steps and the start, linked in order.
    expect(await page.locator('.react-flow__node').count()).toBe(5);
    expect(await page.locator('.react-flow__edge').count()).toBe(4);

    // The YAML beside the canvas is the seed's workflow (its trigger aside).
    const yaml = await page.locator('#workflow-yaml').inputValue();
    const seed = parse(SEED) as { workflow: Record<string, unknown> };
    delete seed.workflow.trigger;
    expect(parse(yaml)).toEqual(seed);

    await page.locator('.yaml-problems .ok').waitFor(); // the gateway found nothing wrong
    await shot('designer');
    await page.getByRole('button', { name: 'Save as new version' }).click();
    await page
      .getByRole('status')
      .getByText(/Saved customer-inquiry-handler version \d+/)
      .waitFor();

    const stored = await api<{ steps: string[] }>('GET', '/v1/workflows/customer-inquiry-handler');
    expect(stored.body.steps).toEqual(SEED_STEPS.map((s) => s.fields.name));
  });

  it('runs it from the generated form and watches all four steps complete live', async () => {
    await page.getByRole('link', { name: 'Run it' }).click();
    await page.getByRole('heading', { name: 'customer-inquiry-handler' }).waitFor();
    await shot('workflow');
    await page
      .getByLabel('Input (a JSON object)')
      .fill(JSON.stringify({ text: 'I was charged twice on my last invoice', customer: 'Ada' }));
    await page.getByRole('button', { name: 'Start run' }).click();
    await page.waitForURL(/\/console\/runs\/[0-9a-f-]{36}$/);
    runId = page.url().split('/').pop() as string;

    const steps = page.locator('.step');
    await page.locator('.step[data-status="completed"]').nth(3).waitFor();
    const order: (string | null)[] = [];
    for (let i = 0; i < (await steps.count()); i++) {
      order.push(await steps.nth(i).getAttribute('data-step'));
    }
    expect(order).toEqual(SEED_STEPS.map((s) => s.fields.name));
    await page.locator('#run-title [data-status="completed"]').waitFor();
    // The timeline came over the SSE stream, in order, to the end of the run.
    await page.locator('.timeline code', { hasText: 'workflow.run.completed' }).first().waitFor();
    const timeline = await page.locator('.timeline code').allTextContents();
    expect(timeline[0]).toBe('workflow.run.started');
    expect(timeline.filter((t) => t === 'workflow.step.completed')).toHaveLength(4);

    await page.locator('.step summary', { hasText: 'send-response' }).click();
    await page.getByLabel('Output of send-response').getByText('"delivered": true').waitFor();
    await shot('run');

    const run = await api<{ status: string }>('GET', `/v1/runs/${runId}`);
    expect(run.body.status).toBe('completed');
  });

  it('dry-runs the workflow with mocked steps, as saved and as edited, and shows each outcome on the canvas', async () => {
    await page.goto(`${consoleUrl()}/designer/customer-inquiry-handler`);
    await page.locator('.step-node[data-step-name="send-response"]').waitFor();
    await page.getByRole('button', { name: 'Dry run', exact: true }).click();
    const mocks = {
      'classify-inquiry': { output: { category: 'billing', context: { text: 'charged twice' } } },
      'route-to-specialist': { output: { specialist: 'billing-agent' } },
      'process-inquiry': { output: { response: 'Refunded the second charge.' } },
      'send-response': { output: { delivered: true } },
    };
    await page.getByLabel('Mocks (JSON, by step name)').fill(JSON.stringify(mocks, null, 2));
    await page.getByLabel('Run input (JSON)').fill('{"text":"charged twice","customer":"Ada"}');
    await page.getByRole('button', { name: 'Run the dry run' }).click();
    const result = page.getByRole('status', { name: 'Dry run result' });
    await result.locator('[data-status="completed"]').first().waitFor();
    for (const step of SEED_STEPS) {
      await page
        .locator(`.step-node[data-step-name="${step.fields.name}"][data-dry-run="completed"]`)
        .waitFor();
    }
    await shot('designer-dry-run');

    // A mock that fails the first step: the canvas shows where the dry run stopped.
    await page.getByLabel('Mocks (JSON, by step name)').fill(
      JSON.stringify({
        ...mocks,
        'classify-inquiry': { error: { type: 'model_error', message: 'no answer' } },
      }),
    );
    await page.getByRole('button', { name: 'Run the dry run' }).click();
    await page
      .locator('.step-node[data-step-name="classify-inquiry"][data-dry-run="failed"]')
      .waitFor();

    // The text as edited, not saved: the last step renamed in the YAML is what the dry run runs.
    const editor = page.locator('#workflow-yaml');
    await editor.fill(
      (await editor.inputValue()).replace('name: send-response', 'name: notify-customer'),
    );
    await page.locator('.step-node[data-step-name="notify-customer"]').waitFor();
    await page.locator('.yaml-problems .ok').waitFor();
    await page
      .getByLabel('Mocks (JSON, by step name)')
      .fill(JSON.stringify({ ...mocks, 'notify-customer': { output: { delivered: true } } }));
    await page.getByRole('button', { name: 'Run the dry run' }).click();
    await result.getByText('Dry run of the text in the editor').waitFor();
    await page
      .locator('.step-node[data-step-name="notify-customer"][data-dry-run="completed"]')
      .waitFor();
    // Nothing was saved by it: the active version still ends with send-response.
    const active = await api<{ steps: string[] }>('GET', '/v1/workflows/customer-inquiry-handler');
    expect(active.body.steps).toContain('send-response');
    expect(active.body.steps).not.toContain('notify-customer');
    // No run was stored by any of the dry runs.
    const runs = await api<{ items: { id: string }[] }>(
      'GET',
      '/v1/runs?workflow=customer-inquiry-handler&limit=100',
    );
    expect(runs.body.items.map((r) => r.id)).toEqual([runId]);
  });

  it('lists the workspace’s workflows with their versions (a non-empty list, as most users have)', async () => {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Workflows' })
      .click();
    await page
      .getByRole('table')
      .getByRole('link', { name: 'customer-inquiry-handler', exact: true })
      .waitFor();
    expect(await page.getByText('This page failed').count()).toBe(0);
  });

  it('lists runs with a filter', async () => {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Runs' })
      .click();
    await page.getByLabel('Workflow').fill('customer-inquiry-handler');
    await page.getByLabel('Status').selectOption('completed');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/status=completed/);
    await page.locator(`a[href="/console/runs/${runId}"]`).waitFor();
    await shot('runs');
    await page.getByLabel('Workflow').fill('no-such-workflow');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByText('No run matches this filter').waitFor();
  });

  it('follows YAML edits on the canvas', async () => {
    await page.goto(`${consoleUrl()}/designer/customer-inquiry-handler`);
    const editor = page.locator('#workflow-yaml');
    await page.locator('.step-node[data-step-name="send-response"]').waitFor();
    const yaml = await editor.inputValue();
    await editor.fill(
      yaml.replace('name: send-response', 'name: reply-to-customer') +
        '    - name: audit-trail\n      agent: classification-agent\n',
    );
    await page.locator('.step-node[data-step-name="reply-to-customer"]').waitFor();
    await page.locator('.step-node[data-step-name="audit-trail"]').waitFor();
    expect(await page.locator('.step-node[data-step-name="send-response"]').count()).toBe(0);
    expect(await page.locator('.react-flow__node').count()).toBe(6);
  });

  it('shows a validation error from the gateway at its line and column', async () => {
    const editor = page.locator('#workflow-yaml');
    const broken = [
      'workflow:',
      '  name: customer-inquiry-handler',
      '  steps:',
      '    - name: classify-inquiry',
      '      agent: classification-agent',
      '      timeout: 5 parsecs',
      '',
    ].join('\n');
    await editor.fill(broken);
    const error = page.locator('.yaml-error[data-line="6"]');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/Line 6, column \d+/);
    await page.locator('.gutter .marked[data-line="6"]').waitFor();
    await page.locator('.step-node.invalid[data-step-name="classify-inquiry"]').waitFor();
    expect(await page.getByRole('button', { name: 'Save as new version' }).isDisabled()).toBe(true);
    await shot('designer-validation');

    // A YAML syntax error is caught in the browser, also with its line.
    await editor.fill('workflow:\n  name: x\n  steps: [\n');
    await page.locator('.yaml-error').first().waitFor();
    expect(await page.locator('.yaml-error').first().textContent()).toMatch(/Line \d+/);
  });

  it('replays the run events and shows the progress', async () => {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Events' })
      .click();
    await page.getByLabel('Subject').first().fill(runId);
    await page.getByRole('button', { name: 'Search' }).click();
    // The default workspace is shared with every other spec: routes they left may have stored a
    // copy of the event, so the first match is enough.
    await page.locator('td button', { hasText: 'workflow.run.completed' }).first().waitFor();

    await page.getByLabel('Event types (comma-separated)').fill('workflow.*');
    await page.locator('#replay-subject').fill(runId);
    await page.getByRole('button', { name: 'Replay to original targets' }).click();
    const replay = page.locator('.replay').first();
    await page.locator('.replay[data-status="completed"]').first().waitFor();
    const count = (await replay.locator('.replay-count').textContent()) ?? '';
    const [processed, total] = count.match(/\d+/g)?.map(Number) ?? [];
    expect(total).toBeGreaterThanOrEqual(6); // run started, 4 steps, completed at least
    expect(processed).toBe(total);
    await shot('events');
  });

  const nav = (name: string) =>
    page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
  const noHorizontalScroll = async () =>
    expect(
      await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth'),
    ).toBeLessThanOrEqual(0);
  const suffix = Date.now().toString(36);

  it('integrations: lists the connections, tests one live and lists its operations', async () => {
    await page.setViewportSize({ width: 1280, height: 720 });
    await nav('Integrations');
    await page.getByRole('heading', { name: 'Integrations' }).waitFor();
    await page
      .getByRole('table', { name: 'Connections' })
      .getByRole('button', { name: 'default', exact: true })
      .click();
    await page.getByRole('heading', { name: 'default', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Test connection' }).click();
    // The webhook connection's probe reached the test's receiver, or the page says why not.
    await page
      .getByRole('status', { name: 'Test result' })
      .or(page.getByRole('alert').filter({ hasText: 'The test failed' }))
      .waitFor();
    const direct = await api('POST', '/v1/connections/default/test', { body: {} });
    expect(await page.getByRole('status', { name: 'Test result' }).count()).toBe(
      direct.status < 300 ? 1 : 0,
    );
    await page.getByRole('heading', { name: 'Operations' }).waitFor();
    await noHorizontalScroll();
    await shot('integrations');
  });

  it('alerts: creates a rule from the form, shows its history and the channels, and a refusal with its detail', async () => {
    const channel = `console-chat-${suffix}`;
    const created = await api('POST', '/v1/notification-channels', {
      body: {
        name: channel,
        kind: 'slack',
        config: { webhook_url: 'https://hooks.slack.com/services/T000/B000/XXXX' },
      },
    });
    expect(created.status).toBe(201);
    await nav('Alerts');
    const rule = `console-errors-${suffix}`;
    await page.getByLabel('Name', { exact: true }).fill(rule);
    await page.getByLabel('Condition').fill('error_rate > 0.99');
    await page.getByLabel('Channels (names or kinds, comma-separated)').fill(channel);
    await page.getByLabel('Severity').selectOption('critical');
    await page.getByRole('button', { name: 'Create rule' }).click();
    await page
      .getByRole('table', { name: 'Alert rules' })
      .getByRole('button', { name: rule, exact: true })
      .click();
    await page.getByRole('heading', { name: `History of ${rule}` }).waitFor();
    await page
      .getByRole('table', { name: 'Notification channels' })
      .getByRole('cell', { name: channel, exact: true })
      .waitFor();
    const stored = await api<{ condition: string; severity: string }>('GET', `/v1/alerts/${rule}`);
    expect(stored.body).toMatchObject({ condition: 'error_rate > 0.99', severity: 'critical' });

    // Bad input: the gateway's problem+json, its detail and the field it names, on the page.
    await page.getByLabel('Name', { exact: true }).fill(`console-bad-${suffix}`);
    await page.getByLabel('Condition').fill('error_rate >>> nonsense');
    await page.getByRole('button', { name: 'Create rule' }).click();
    const refusal = page.getByRole('alert').first();
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/\(4\d\d\)/);
    expect(await refusal.textContent()).toContain('condition');
    await noHorizontalScroll();
    await shot('alerts');
  });

  it('audit: lists the trail filtered by action and verifies the chain as the API does', async () => {
    await nav('Audit');
    await page.getByLabel('Action').fill('workflow.create');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page
      .getByRole('cell', { name: 'workflow.create' })
      .first()
      .or(page.getByText('No record of this action'))
      .waitFor();
    await page.getByRole('button', { name: 'Verify the chain' }).click();
    const verdict = page.getByRole('status').filter({ hasText: /Intact|Broken at record/ });
    await verdict.waitFor();
    const direct = await api<{ intact: boolean }>('GET', '/v1/audit/verify');
    expect(((await verdict.textContent()) ?? '').startsWith('Intact')).toBe(direct.body.intact);
    await noHorizontalScroll();
    await shot('audit');
  });

  it('API keys: creates a key shown once, which works, and revokes it', async () => {
    await nav('API keys');
    const name = `console-key-${suffix}`;
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByLabel('Role').selectOption('viewer');
    await page.getByRole('button', { name: 'Create key' }).click();
    const shown = page.getByLabel('New API key');
    await shown.waitFor();
    const key = ((await shown.textContent()) ?? '').trim();
    expect(key).toMatch(/^bk_/);
    expect((await api('GET', '/v1/roles', { apiKey: key })).status).toBe(200);
    await shot('api-keys');
    await page.getByRole('button', { name: 'I have copied it' }).click();
    expect(await page.getByLabel('New API key').count()).toBe(0);
    expect(await page.content()).not.toContain(key); // shown once: gone from the page
    const storage = await page.evaluate<string>(
      'JSON.stringify({ ...localStorage, ...sessionStorage })',
    );
    expect(storage).not.toContain(key);

    const row = page.locator(`tr[data-key-name="${name}"]`);
    await row.getByRole('button', { name: `Revoke ${name}` }).click();
    await row.locator('[data-status="revoked"]').waitFor();
    expect((await api('GET', '/v1/roles', { apiKey: key })).status).toBe(401);
    await noHorizontalScroll();
  });

  it('is usable from the keyboard: skip link first, visible focus, labelled controls', async () => {
    await page.goto(`${consoleUrl()}/runs`);
    await page.getByRole('heading', { name: 'Runs' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string>('document.activeElement.textContent')).toBe(
      'Skip to content',
    );
    await page.keyboard.press('Enter');
    expect(await page.evaluate<string>('document.activeElement.id')).toBe('main');
    // Tab to the first nav link: its focus ring is drawn.
    await page.goto(`${consoleUrl()}/runs`);
    await page.getByRole('heading', { name: 'Runs' }).waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    const outline = await page.evaluate<string>(
      'getComputedStyle(document.activeElement).outlineStyle',
    );
    expect(outline).not.toBe('none');
    // Every form control on the page has an accessible name.
    const unlabelled = await page.evaluate<number>(
      `[...document.querySelectorAll('input, select, textarea')].filter((el) => !el.labels?.length && !el.getAttribute('aria-label')).length`,
    );
    expect(unlabelled).toBe(0);
    // Navigation by keyboard only: focus the Agents link and press Enter.
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Agents', exact: true })
      .focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Agents' }).waitFor();
  });

  it('shows the agent fleet, and a dark theme at 1920×1080 without breaking', async () => {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Agents' })
      .click();
    // Other specs register agents whose names start the same way.
    await page.getByRole('button', { name: 'classification-agent', exact: true }).click();
    await page.getByRole('heading', { name: 'classification-agent', exact: true }).waitFor();
    await page.locator('.card td', { hasText: 'healthy' }).first().waitFor();
    await shot('agents');

    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.getByRole('button', { name: 'Switch to dark theme' }).click();
    await page.goto(`${consoleUrl()}/designer/customer-inquiry-handler`);
    await page.locator('.step-node[data-step-name="send-response"]').waitFor();
    expect(await page.evaluate<string>('document.documentElement.dataset.theme')).toBe('dark');
    // Nothing wider than the window: no horizontal scrolling.
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(
      1920,
    );
    await shot('designer-dark');
    expect(cspViolations).toEqual([]);
  });
});
