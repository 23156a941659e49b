import { AgentWorker, type OrchestratePlatform } from '@baton/sdk';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { specialistAgents } from '../../examples/agents/customer-service.agents';
import { classificationRules, routingRules } from '../../examples/agents/rules.agents';
import { api, eventually, platformState, sdk } from './support/platform';
import { ScriptedServer, uniqueName } from './support/scripted-server';

/**
 * The seed's customer-inquiry-handler with classification-agent and
 * routing-agent as `rules` agents: agent-manager runs them itself, no worker
 * process and no model. Other suites register the seed's names as worker
 * agents in the same workspace, so this one runs the seed's YAML with those
 * two names (and the workflow's) suffixed; nothing else in it changes.
 */
const SUFFIX = uniqueName('r').slice(2);
const CLASSIFIER = `classification-agent-${SUFFIX}`;
const ROUTER = `routing-agent-${SUFFIX}`;
const WORKFLOW = `customer-inquiry-handler-${SUFFIX}`;
const SEED_WORKFLOW = fs
  .readFileSync(
    path.join(__dirname, '../../examples/workflows/customer-inquiry-handler.yaml'),
    'utf8',
  )
  .replace('name: customer-inquiry-handler', `name: ${WORKFLOW}`)
  .replace('agent: classification-agent', `agent: ${CLASSIFIER}`)
  .replace('agent: routing-agent', `agent: ${ROUTER}`);

describe('rules agents run the seed workflow with no worker and no model', () => {
  let orchestrate: OrchestratePlatform;
  const workers: AgentWorker[] = [];
  const inbox = new ScriptedServer(() => ({ status: 200 }));

  beforeAll(async () => {
    orchestrate = sdk();
    const brokers = platformState().kafkaBrokers.split(',');
    await orchestrate.registerAgent({ ...classificationRules, name: CLASSIFIER });
    await orchestrate.registerAgent({ ...routingRules, name: ROUTER });
    // Only the specialists have workers.
    for (const agent of specialistAgents) {
      await orchestrate.registerAgent(agent.registration);
      workers.push(
        new AgentWorker({ agent: agent.registration.name, handler: agent.handler, brokers }),
      );
    }
    await Promise.all(workers.map((w) => w.start()));
    const connection = await api('POST', '/v1/connections', {
      body: {
        name: 'default',
        connector: 'webhook',
        config: { url: `${await inbox.start()}/messages` },
      },
    });
    expect([200, 201]).toContain(connection.status);
    await orchestrate.createWorkflow(SEED_WORKFLOW);
    // agent-manager shows itself as the instance of the agents it runs, once it serves their topics.
    for (const name of [CLASSIFIER, ROUTER]) {
      await eventually(
        async () => {
          const { items } = await orchestrate.getAgentInstances(name);
          return items.find(
            (i) => i.instance_id.startsWith('agent-manager') && i.health === 'healthy',
          );
        },
        30_000,
        `agent-manager serving ${name}`,
      );
    }
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await inbox.stop();
  });

  it('runs customer-inquiry-handler end to end: rules classify and route, a worker answers', async () => {
    const run = await orchestrate.waitForRun(
      (
        await orchestrate.startRun(WORKFLOW, {
          text: 'I was charged twice on my invoice',
          customer: 'Ada',
        })
      ).id,
    );
    expect(run.status).toBe('completed');
    const steps = Object.fromEntries(run.steps.map((s) => [s.name, s]));
    expect(steps['classify-inquiry'].output).toEqual({
      category: 'billing',
      confidence: 0.9,
      context: { text: 'I was charged twice on my invoice', customer: 'Ada', category: 'billing' },
    });
    expect(steps['route-to-specialist'].output).toEqual({ specialist: 'billing-agent' });
    expect(steps['process-inquiry']).toMatchObject({
      agent: 'billing-agent',
      output: { handled_by: 'billing-agent' },
    });
    await eventually(async () => (inbox.received.length > 0 ? true : undefined));
    expect(inbox.received[0].body).toContain('refund review');
  });

  it('routes technical and general inquiries by regex and default', async () => {
    const technical = await orchestrate.invokeAgent({
      agent_id: CLASSIFIER,
      input: { text: 'The app shows an ERROR after login' },
      timeout: 5_000,
    });
    expect(technical.output).toMatchObject({
      category: 'technical',
      context: { customer: 'customer' },
    });
    const general = await orchestrate.invokeAgent({
      agent_id: ROUTER,
      input: { category: 'something else' },
      timeout: 5_000,
    });
    expect(general.output).toEqual({ specialist: 'general-support-agent' });
  });

  it('refuses a broken rules config with 422 naming the field', async () => {
    const response = await api<{ errors: { field: string }[] }>('POST', '/v1/agents', {
      body: {
        name: 'broken-rules',
        type: 'classifier',
        runtime: 'rules',
        config: { rules: [{ when: { regex: '(' }, output: {} }] },
      },
    });
    expect(response.status).toBe(422);
    expect(response.body.errors.map((e) => e.field)).toEqual(['config.rules[0].when.regex']);
  });

  it('changes rules with PATCH: a new version, applied to the next task', async () => {
    const patched = await orchestrate.updateAgent(ROUTER, {
      config: { rules: [], default: { specialist: 'general-support-agent', rules: 'v2' } },
    });
    expect(patched.version).toBe(2);
    const answer = await orchestrate.invokeAgent({
      agent_id: ROUTER,
      input: { category: 'billing' },
      timeout: 5_000,
    });
    expect(answer.output).toEqual({ specialist: 'general-support-agent', rules: 'v2' });
    const { items } = await orchestrate.listAgentVersions(ROUTER);
    expect(items.map((v) => v.version)).toEqual([2, 1]);
    expect(items[1].spec).toMatchObject({ runtime: 'rules', config: routingRules.config });
  });
});
