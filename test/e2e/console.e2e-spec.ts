import { AgentWorker } from '@baton/sdk';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { parse } from 'yaml';
import { exampleAgents } from '../../examples/agents/customer-service.agents';
import { launchChromium } from './support/browser';
import { api, platformState, sdk } from './support/platform';
import { WebhookReceiver } from './support/webhook-receiver';

const SEED_PATH = path.join(__dirname, '../../examples/workflows/customer-inquiry-handler.yaml');
const SEED = fs.readFileSync(SEED_PATH, 'utf8');
/** The tests' screenshots are the documentation's (docs/console.md). */
const SCREENSHOTS = path.join(__dirname, '../../docs/images/console');
const UI_TIMEOUT = 30_000;

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
  let context: BrowserContext;
  let page: Page;
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

    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    page = await context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT);
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all(workers.map((w) => w.stop()));
    await inbox.stop();
  });

  const shot = (name: string) =>
    page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: false });

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
