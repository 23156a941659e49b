import { api } from './support/platform';

describe('OpenAPI', () => {
  it('describes every route of the gateway at /openapi.json', async () => {
    const response = await api<{
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, unknown> };
    }>('GET', '/openapi.json', { apiKey: null });
    expect(response.status).toBe(200);
    expect(response.body.openapi).toMatch(/^3\./);
    const routes = Object.entries(response.body.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(routes.sort()).toEqual(
      [
        'GET /v1/agents',
        'POST /v1/agents',
        'GET /v1/agents/{name}',
        'GET /v1/workflows',
        'POST /v1/workflows',
        'GET /v1/workflows/{name}',
        'POST /v1/workflows/{name}/runs',
        'POST /v1/workflows/{name}/test',
        'GET /v1/runs',
        'GET /v1/runs/{id}',
        'POST /v1/workflows/validate',
        'GET /v1/workflows/{name}/versions',
        'GET /v1/workflows/{name}/versions/{version}',
        'GET /v1/workflows/{name}/diff',
        'POST /v1/workflows/{name}/versions/{version}/activate',
        'POST /v1/runs/{id}/cancel',
        'POST /v1/runs/{id}/pause',
        'POST /v1/runs/{id}/resume',
        'POST /v1/runs/{id}/retry',
        'GET /v1/runs/{id}/events',
        'GET /v1/events',
        'POST /v1/events',
        'GET /v1/events/{id}',
        'GET /v1/connections',
        'POST /v1/connections',
        'GET /v1/connections/{name}',
        'PATCH /v1/connections/{name}',
        'DELETE /v1/connections/{name}',
        'POST /v1/connections/{name}/test',
        'GET /v1/connections/{name}/health',
        'GET /v1/connectors',
        'GET /v1/deliveries',
        'GET /v1/audit',
        'GET /v1/platform/ping',
        'POST /v1/agents/{name}/invoke',
        'POST /v1/agents/{name}/tasks',
        'GET /v1/tasks/{id}',
        'PATCH /v1/agents/{name}',
        'DELETE /v1/agents/{name}',
        'GET /v1/agents/{name}/versions',
        'GET /v1/agents/{name}/instances',
        'GET /v1/agents/{name}/stats',
        'POST /v1/subscriptions',
        'GET /v1/subscriptions',
        'GET /v1/subscriptions/{id}',
        'DELETE /v1/subscriptions/{id}',
        'POST /v1/subscriptions/{id}/pause',
        'POST /v1/subscriptions/{id}/resume',
        'GET /v1/subscriptions/{id}/dead-letters',
        'POST /v1/subscriptions/{id}/dead-letters/redeliver',
        'POST /v1/transforms',
        'GET /v1/transforms',
        'GET /v1/transforms/{name}',
        'POST /v1/transforms/{name}/preview',
        'POST /v1/routes',
        'GET /v1/routes',
        'GET /v1/routes/{name}',
        'DELETE /v1/routes/{name}',
        'POST /v1/replays',
        'GET /v1/replays',
        'GET /v1/replays/{id}',
        'POST /v1/replays/{id}/cancel',
        'POST /v1/retention-policies',
        'GET /v1/retention-policies',
        'DELETE /v1/retention-policies/{id}',
      ].sort(),
    );
    expect(response.body.components.schemas.RegisterAgentCommand).toMatchObject({
      properties: expect.objectContaining({
        name: expect.anything(),
        max_instances: expect.anything(),
      }),
    });
    expect((await api('GET', '/docs', { apiKey: null })).status).toBe(200);
  });
});
