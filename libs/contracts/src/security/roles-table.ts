import { ROLE_PERMISSIONS, ROLES, type Role } from './permissions';

/** What each role is for, as GET /v1/roles and docs/security.md say it. */
export const ROLE_DESCRIPTIONS: Readonly<Record<Role, string>> = {
  'platform-admin':
    'Manages workspaces across the platform; within its own workspace it is an admin.',
  admin: 'Everything in its workspace: keys, clients, identity providers, audit, secrets.',
  developer: 'Builds: agents, workflows, connections, subscriptions, routes, alerts, tests.',
  operator: 'Runs: starts, cancels and retries runs, invokes agents, replays; reads everything.',
  viewer: 'Reads everything except secret values.',
  agent: 'A worker: serves its own tasks and heartbeats, nothing else.',
};

export interface RoleSummary {
  name: Role;
  description: string;
  permissions: string[];
}

/** Every role with its description and permissions, in the order of ROLES. */
export function roleSummaries(): RoleSummary[] {
  return ROLES.map((name) => ({
    name,
    description: ROLE_DESCRIPTIONS[name],
    permissions: [...ROLE_PERMISSIONS[name]],
  }));
}

/**
 * The roles table of docs/security.md, generated from ROLE_PERMISSIONS; a unit test
 * keeps that copy equal to it.
 */
export function rolesMarkdownTable(): string {
  const lines = ['| role | what it is for | permissions |', '|---|---|---|'];
  for (const role of roleSummaries()) {
    lines.push(
      `| \`${role.name}\` | ${role.description} | ${role.permissions.map((p) => `\`${p}\``).join(' ')} |`,
    );
  }
  return lines.join('\n');
}
