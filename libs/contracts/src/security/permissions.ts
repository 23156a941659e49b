/**
 * Who may do what: the roles, their permissions, and the permission every
 * gateway route needs. This file is the one place a route's permission is
 * declared: the gateway refuses to start while one of its routes is missing
 * here, and the role × route e2e test walks this table.
 */

/** Roles a key, client or mapped identity can hold inside its workspace. */
export const WORKSPACE_ROLES = ['admin', 'developer', 'operator', 'viewer', 'agent'] as const;
/** Platform-wide: manages workspaces; within its own workspace it is an admin. */
export const PLATFORM_ADMIN = 'platform-admin';
export const ROLES = [PLATFORM_ADMIN, ...WORKSPACE_ROLES] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'workspaces:manage',
  'api-keys:manage',
  'oauth-clients:manage',
  'identity-providers:manage',
  'audit:read',
  'secrets:read',
  'secrets:write',
  'agents:read',
  'agents:write',
  'agents:invoke',
  'agent-tasks:serve',
  'workflows:read',
  'workflows:write',
  'workflows:test',
  'runs:read',
  'runs:start',
  'runs:operate',
  'events:read',
  'events:publish',
  'connections:read',
  'connections:write',
  'event-routing:read',
  'event-routing:write',
  'alerts:read',
  'alerts:write',
  'channels:read',
  'channels:write',
  'logs:read',
  'replays:start',
  'retention:write',
  'roles:read',
  'platform:ping',
  'limits:read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** A route anyone may call, authenticated or not (token endpoints, SSO, health). */
export const PUBLIC = 'public';
/** A route any authenticated caller may call, whatever its role (who am I, roles). */
export const AUTHENTICATED = 'authenticated';
export type RouteAccess = Permission | typeof PUBLIC | typeof AUTHENTICATED;

const READ: Permission[] = [
  'agents:read',
  'workflows:read',
  'runs:read',
  'events:read',
  'connections:read',
  'event-routing:read',
  'alerts:read',
  'channels:read',
  'logs:read',
  'secrets:read',
  'roles:read',
  'platform:ping',
];
const OPERATE: Permission[] = [
  ...READ,
  'agents:invoke',
  'runs:start',
  'runs:operate',
  'events:publish',
  'replays:start',
];
const DEVELOP: Permission[] = [
  ...OPERATE,
  'agents:write',
  'workflows:write',
  'workflows:test',
  'connections:write',
  'event-routing:write',
  'alerts:write',
  'channels:write',
];
const ADMINISTER: Permission[] = [
  ...DEVELOP,
  'api-keys:manage',
  'oauth-clients:manage',
  'identity-providers:manage',
  'audit:read',
  'secrets:write',
  'retention:write',
  // An admin gives workers their keys, and a key never grants more than its creator holds.
  'agent-tasks:serve',
  'limits:read',
];

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  [PLATFORM_ADMIN]: [...ADMINISTER, 'workspaces:manage'],
  admin: ADMINISTER,
  developer: DEVELOP,
  operator: OPERATE,
  // Read only; secrets:read lists secret names and metadata, never a value.
  viewer: READ,
  // What a worker needs: its own tasks and heartbeats (over Kafka), nothing else.
  agent: ['agent-tasks:serve'],
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function rolesAllow(roles: readonly string[], permission: Permission): boolean {
  return roles.some((role) => isRole(role) && ROLE_PERMISSIONS[role].includes(permission));
}

/**
 * Every route of the gateway, as `METHOD /path` with Nest's `:param` syntax.
 * Add a line when you add a route: the gateway will not start without it.
 */
export const ROUTE_PERMISSIONS: Readonly<Record<string, RouteAccess>> = {
  'GET /health': PUBLIC,
  'GET /health/live': PUBLIC,
  'GET /health/ready': PUBLIC,
  'GET /metrics': PUBLIC,
  // MCP (Streamable HTTP): any credential may speak the protocol; each tool checks its own permission.
  'POST /mcp': AUTHENTICATED,
  'GET /mcp': AUTHENTICATED,
  'DELETE /mcp': AUTHENTICATED,
  // A2A (JSON-RPC): the card as GET /v1/agents/:name; each method checks its own permission
  // (message/send agents:invoke, tasks/get runs:read).
  'GET /a2a/:name/.well-known/agent-card.json': 'agents:read',
  'POST /a2a/:name': AUTHENTICATED,

  'GET /v1/platform/ping': 'platform:ping',

  'POST /v1/agents': 'agents:write',
  'GET /v1/agents': 'agents:read',
  'GET /v1/agents/:name': 'agents:read',
  'PATCH /v1/agents/:name': 'agents:write',
  'DELETE /v1/agents/:name': 'agents:write',
  'GET /v1/agents/:name/versions': 'agents:read',
  'GET /v1/agents/:name/instances': 'agents:read',
  'GET /v1/agents/:name/stats': 'agents:read',
  'POST /v1/agents/:name/invoke': 'agents:invoke',
  'POST /v1/agents/:name/tasks': 'agents:invoke',
  'POST /v1/agents/:name/tasks/claim': 'agent-tasks:serve',
  'POST /v1/agents/:name/tasks/:id/result': 'agent-tasks:serve',
  'POST /v1/agents/:name/tasks/:id/lease': 'agent-tasks:serve',
  'GET /v1/tasks/:id': 'runs:read',

  'POST /v1/workflows': 'workflows:write',
  'GET /v1/workflows': 'workflows:read',
  'GET /v1/workflows/:name': 'workflows:read',
  'POST /v1/workflows/validate': 'workflows:read',
  'GET /v1/workflows/:name/versions': 'workflows:read',
  'GET /v1/workflows/:name/versions/:version': 'workflows:read',
  'GET /v1/workflows/:name/diff': 'workflows:read',
  'POST /v1/workflows/:name/versions/:version/activate': 'workflows:write',
  'POST /v1/workflows/:name/test': 'workflows:test',
  // Also needs runs:read (checked by the controller): the report shows past runs' data.
  'POST /v1/workflows/:name/versions/:version/shadow': 'workflows:test',
  'POST /v1/workflows/:name/runs': 'runs:start',

  'GET /v1/runs': 'runs:read',
  'GET /v1/runs/:id': 'runs:read',
  'GET /v1/runs/:id/llm-calls': 'runs:read',
  'GET /v1/llm-budget': 'agents:read',
  'PUT /v1/llm-budget': 'agents:write',
  'GET /v1/runs/:id/events': 'runs:read',
  'POST /v1/runs/:id/cancel': 'runs:operate',
  'POST /v1/runs/:id/pause': 'runs:operate',
  'POST /v1/runs/:id/resume': 'runs:operate',
  'POST /v1/runs/:id/retry': 'runs:operate',
  // A replay starts a new run (of the source's version and input): the right to start runs.
  'POST /v1/runs/:id/replay': 'runs:start',

  'POST /v1/events': 'events:publish',
  'GET /v1/events': 'events:read',
  // Alerts, channels and logs have permissions of their own (docs/alerts.md, docs/monitoring.md):
  // channels hold credentials, so reading them is `channels:read`, not `connections:read`.
  'POST /v1/alerts': 'alerts:write',
  'GET /v1/alerts': 'alerts:read',
  'GET /v1/alerts/:name': 'alerts:read',
  'PATCH /v1/alerts/:name': 'alerts:write',
  'DELETE /v1/alerts/:name': 'alerts:write',
  'GET /v1/alerts/:name/history': 'alerts:read',
  'POST /v1/alerts/:name/silence': 'alerts:write',
  'POST /v1/notification-channels': 'channels:write',
  'GET /v1/notification-channels': 'channels:read',
  'GET /v1/notification-channels/:name': 'channels:read',
  'DELETE /v1/notification-channels/:name': 'channels:write',
  'GET /v1/incidents': 'alerts:read',
  'GET /v1/metrics/summary': 'alerts:read',
  'GET /v1/events/stream': 'events:read',
  'GET /v1/events/:id': 'events:read',

  // Logs in one place (docs/monitoring.md): shipping records is publishing into the workspace.
  'POST /v1/logs': 'events:publish',
  'GET /v1/logs': 'logs:read',

  'POST /v1/connections': 'connections:write',
  'GET /v1/connections': 'connections:read',
  'GET /v1/connections/:name': 'connections:read',
  'PATCH /v1/connections/:name': 'connections:write',
  'DELETE /v1/connections/:name': 'connections:write',
  'POST /v1/connections/:name/test': 'connections:write',
  'GET /v1/connections/:name/health': 'connections:read',
  'GET /v1/connections/:name/operations': 'connections:read',
  'GET /v1/connectors': 'connections:read',
  'GET /v1/deliveries': 'connections:read',
  // Inbound hooks carry no API key: each call is verified by its connection's signature.
  'POST /v1/hooks/:workspace/:connection': PUBLIC,

  'POST /v1/subscriptions': 'event-routing:write',
  'GET /v1/subscriptions': 'event-routing:read',
  'GET /v1/subscriptions/:id': 'event-routing:read',
  'DELETE /v1/subscriptions/:id': 'event-routing:write',
  'POST /v1/subscriptions/:id/pause': 'event-routing:write',
  'POST /v1/subscriptions/:id/resume': 'event-routing:write',
  'GET /v1/subscriptions/:id/dead-letters': 'event-routing:read',
  'POST /v1/subscriptions/:id/dead-letters/redeliver': 'replays:start',
  'POST /v1/transforms': 'event-routing:write',
  'GET /v1/transforms': 'event-routing:read',
  'GET /v1/transforms/:name': 'event-routing:read',
  'POST /v1/transforms/:name/preview': 'event-routing:read',
  'POST /v1/routes': 'event-routing:write',
  'GET /v1/routes': 'event-routing:read',
  'GET /v1/routes/:name': 'event-routing:read',
  'DELETE /v1/routes/:name': 'event-routing:write',
  'POST /v1/replays': 'replays:start',
  'GET /v1/replays': 'event-routing:read',
  'GET /v1/replays/:id': 'event-routing:read',
  'POST /v1/replays/:id/cancel': 'replays:start',
  'POST /v1/retention-policies': 'retention:write',
  'GET /v1/retention-policies': 'event-routing:read',
  'DELETE /v1/retention-policies/:id': 'retention:write',

  'GET /v1/audit': 'audit:read',

  'POST /v1/workspaces': 'workspaces:manage',
  'GET /v1/workspaces': 'workspaces:manage',
  'GET /v1/workspaces/:id': 'workspaces:manage',
  'PATCH /v1/workspaces/:id': 'workspaces:manage',
  'DELETE /v1/workspaces/:id': 'workspaces:manage',
  'POST /v1/workspaces/:id/purge': 'workspaces:manage',
  'POST /v1/workspaces/:id/api-keys': 'workspaces:manage',
  'POST /v1/api-keys': 'api-keys:manage',
  'GET /v1/api-keys': 'api-keys:manage',
  'DELETE /v1/api-keys/:id': 'api-keys:manage',
  'POST /v1/api-keys/:id/rotate': 'api-keys:manage',
  'GET /v1/roles': AUTHENTICATED,
  'PUT /v1/saml-config': 'identity-providers:manage',
  'GET /v1/saml-config': 'identity-providers:manage',
  'DELETE /v1/saml-config': 'identity-providers:manage',
  'GET /saml/:workspace/metadata': PUBLIC,
  'GET /saml/:workspace/login': PUBLIC,
  'POST /saml/:workspace/acs': PUBLIC,
  'POST /saml/logout': PUBLIC,
  'GET /oidc/:workspace/login': PUBLIC,
  'GET /oidc/:workspace/callback': PUBLIC,
  // Rate limits and the stream cap: a workspace admin reads its own, a platform admin sets any.
  'GET /v1/limits': 'limits:read',
  'GET /v1/workspaces/:id/limits': 'workspaces:manage',
  'PUT /v1/workspaces/:id/limits': 'workspaces:manage',
  'DELETE /v1/workspaces/:id/limits': 'workspaces:manage',
  'GET /v1/workspaces/:id/run-admission': 'workspaces:manage',
  'PUT /v1/workspaces/:id/run-admission': 'workspaces:manage',
  'DELETE /v1/workspaces/:id/run-admission': 'workspaces:manage',
  'POST /v1/workspaces/:id/worker-credentials': 'workspaces:manage',
  'DELETE /v1/workspaces/:id/worker-credentials': 'workspaces:manage',
  'GET /v1/audit/verify': 'audit:read',
  // OAuth 2.0 client credentials, Baton tokens and external OpenID providers (docs/adr/0019-tokens.md).
  'POST /oauth/token': PUBLIC,
  'GET /.well-known/openid-configuration': PUBLIC,
  'GET /.well-known/jwks.json': PUBLIC,
  'POST /v1/oauth-clients': 'oauth-clients:manage',
  'GET /v1/oauth-clients': 'oauth-clients:manage',
  'DELETE /v1/oauth-clients/:id': 'oauth-clients:manage',
  'POST /v1/identity-providers': 'identity-providers:manage',
  'GET /v1/identity-providers': 'identity-providers:manage',
  'DELETE /v1/identity-providers/:id': 'identity-providers:manage',
  'POST /v1/platform/signing-keys/rotate': 'workspaces:manage',
  'PUT /v1/secrets/:name': 'secrets:write',
  'GET /v1/secrets': 'secrets:read',
  'DELETE /v1/secrets/:name': 'secrets:write',
};

/** The key of a route in ROUTE_PERMISSIONS. */
export function routeKey(method: string, path: string): string {
  const normalised = `/${path}`.replace(/\/+/g, '/').replace(/\/$/, '') || '/';
  return `${method.toUpperCase()} ${normalised}`;
}
