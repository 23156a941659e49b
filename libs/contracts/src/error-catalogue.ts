/**
 * The domain error codes of the API: every `code` a problem document or a
 * command reply may carry besides the generic categories, with the category
 * it belongs to (which decides the HTTP status) and what it means. Stable:
 * a code is never renamed or reused; docs/error-codes.md lists them all and a
 * unit test keeps the two the same (ADR 0038).
 */

/** The generic codes: the category of every error, one per HTTP status. */
export const ErrorCategories = {
  badRequest: 'REQUEST.MALFORMED',
  validation: 'REQUEST.INVALID',
  tooLarge: 'REQUEST.TOO_LARGE',
  rateLimited: 'REQUEST.RATE_LIMITED',
  unauthorized: 'AUTH.UNAUTHENTICATED',
  forbidden: 'AUTH.FORBIDDEN',
  notFound: 'RESOURCE.NOT_FOUND',
  conflict: 'RESOURCE.CONFLICT',
  timeout: 'UPSTREAM.TIMEOUT',
  upstreamFailed: 'UPSTREAM.FAILED',
  unavailable: 'UPSTREAM.UNAVAILABLE',
  internal: 'INTERNAL',
} as const;

export type ErrorCategory = (typeof ErrorCategories)[keyof typeof ErrorCategories];

interface CatalogueEntry {
  category: ErrorCategory;
  description: string;
}

/** A code whose resource does not exist (404). */
function notFound(description: string): CatalogueEntry {
  return { category: ErrorCategories.notFound, description };
}

/** A code whose request conflicts with the resource's state (409). */
function conflict(description: string): CatalogueEntry {
  return { category: ErrorCategories.conflict, description };
}

export const ErrorCatalogue = {
  'AGENT.NOT_FOUND': notFound('No agent of that name in the workspace.'),
  'AGENT.EXISTS': conflict('An agent of that name is registered with a different definition.'),
  'AGENT.CHANGED_CONCURRENTLY': conflict(
    'The agent was registered by another request at the same time; retry.',
  ),
  'AGENT.DECOMMISSIONED': conflict(
    'The agent is decommissioning or decommissioned: it takes no changes or tasks.',
  ),
  'AGENT.NOT_PULL': conflict("HTTP workers claim tasks of runtime 'pull' agents only."),
  'TASK.NOT_FOUND': notFound('No task of that id in the workspace.'),
  'TASK.NOT_AWAITING_RESULT': notFound(
    'The task is not waiting for a result (finished, timed out, or never claimed).',
  ),
  'TASK.CLAIM_EXPIRED': conflict(
    'The claim expired and the task went back to the queue; the result was not used.',
  ),
  'TASK.CREATED_CONCURRENTLY': conflict(
    'A task with the same idempotency key was being created at the same time; retry.',
  ),
  'WORKFLOW.NOT_FOUND': notFound('No workflow of that name in the workspace.'),
  'WORKFLOW.VERSION_NOT_FOUND': notFound('The workflow has no such version.'),
  'RUN.NOT_FOUND': notFound('No run of that id in the workspace.'),
  'RUN.INVALID_STATE': conflict(
    'The run is in a status the operation does not apply to (pause a cancelled run).',
  ),
  'RUN.NOT_RETRYABLE': conflict('The run cannot be retried (its failed step cannot run again).'),
  'EVENT.NOT_FOUND': notFound('No stored event of that id.'),
  'SUBSCRIPTION.NOT_FOUND': notFound('No such subscription.'),
  'SUBSCRIPTION.EXISTS': conflict('A subscription of that name exists already.'),
  'ROUTE.NOT_FOUND': notFound('No such route.'),
  'TRANSFORM.NOT_FOUND': notFound('No such transform.'),
  'REPLAY.NOT_FOUND': notFound('No such replay.'),
  'REPLAY.NOT_RUNNING': conflict('The replay has finished or was cancelled already.'),
  'RETENTION.NOT_FOUND': notFound('No such retention policy.'),
  'ALERT.NOT_FOUND': notFound('No alert rule of that name.'),
  'ALERT.EXISTS': conflict('An alert rule of that name exists already.'),
  'CHANNEL.NOT_FOUND': notFound('No notification channel of that name.'),
  'CHANNEL.EXISTS': conflict('A notification channel of that name exists already.'),
  'CONNECTION.NOT_FOUND': notFound('No connection of that name in the workspace.'),
  'WORKSPACE.NOT_FOUND': notFound('No such workspace.'),
  'WORKSPACE.EXISTS': conflict('A workspace of that id exists already.'),
  'WORKSPACE.DELETED': conflict('The workspace is deleted: it takes no changes or new keys.'),
  'WORKSPACE.NOT_DELETED': conflict('Only a deleted workspace can be purged: delete it first.'),
  'WORKSPACE.OWN_CREDENTIAL': conflict(
    'A workspace cannot be deleted with a credential of its own.',
  ),
  'SAML.NOT_CONFIGURED': notFound('SAML sign-in is not configured for the workspace.'),
  'API_KEY.NOT_FOUND': notFound('No API key of that id.'),
  'API_KEY.BOOTSTRAP': conflict(
    'The bootstrap key comes from BATON_BOOTSTRAP_API_KEY: change the variable.',
  ),
  'API_KEY.ALREADY_ROTATED': conflict('The key was rotated already: rotate its successor.'),
  'API_KEY.INACTIVE': conflict('The key is revoked or expired: issue a new one.'),
  'OAUTH_CLIENT.NOT_FOUND': notFound('No OAuth client of that id.'),
  'OAUTH_CLIENT.LIMIT': conflict(
    'The workspace has as many OAuth clients as allowed; delete one first.',
  ),
  'IDENTITY_PROVIDER.NOT_FOUND': notFound('No identity provider of that id.'),
  'IDENTITY_PROVIDER.AUDIENCE_TAKEN': conflict(
    'This issuer and audience are trusted already; use an audience of your own.',
  ),
  'IDENTITY_PROVIDER.LIMIT': conflict('The workspace has as many identity providers as allowed.'),
  'SECRET.NOT_FOUND': notFound("No secret of that name in the workspace's vault."),
  'KAFKA.NO_CREDENTIALS': conflict(
    'The broker does not authenticate clients: workers connect without a credential.',
  ),
} as const satisfies Record<string, CatalogueEntry>;

export type DomainCode = keyof typeof ErrorCatalogue;

/** What `DomainError.notFound(what, name)` can name, and the code each answers. */
export const NotFoundCodes = {
  agent: 'AGENT.NOT_FOUND',
  task: 'TASK.NOT_FOUND',
  workflow: 'WORKFLOW.NOT_FOUND',
  'workflow version': 'WORKFLOW.VERSION_NOT_FOUND',
  run: 'RUN.NOT_FOUND',
  event: 'EVENT.NOT_FOUND',
  subscription: 'SUBSCRIPTION.NOT_FOUND',
  route: 'ROUTE.NOT_FOUND',
  transform: 'TRANSFORM.NOT_FOUND',
  replay: 'REPLAY.NOT_FOUND',
  'retention policy': 'RETENTION.NOT_FOUND',
  alert: 'ALERT.NOT_FOUND',
  'notification channel': 'CHANNEL.NOT_FOUND',
  connection: 'CONNECTION.NOT_FOUND',
  workspace: 'WORKSPACE.NOT_FOUND',
  'SAML configuration of workspace': 'SAML.NOT_CONFIGURED',
  'API key': 'API_KEY.NOT_FOUND',
} as const satisfies Record<string, DomainCode>;

export type NotFoundResource = keyof typeof NotFoundCodes;

const CATEGORY_VALUES = new Set<string>(Object.values(ErrorCategories));

/** The category of a code: itself for a generic code, the catalogue's for a domain code. */
export function categoryOf(code: string): ErrorCategory {
  if (CATEGORY_VALUES.has(code)) return code as ErrorCategory;
  return (ErrorCatalogue as Record<string, CatalogueEntry>)[code]?.category ?? 'INTERNAL';
}

/**
 * The catalogue as a Markdown table (code, category, HTTP status, meaning):
 * the API description and docs/error-codes.md show it, and a unit test keeps
 * the page equal to it.
 */
export function errorCodesTable(statusOf: (category: ErrorCategory) => number): string {
  const rows = Object.entries(ErrorCatalogue).map(
    ([code, entry]) =>
      `| \`${code}\` | \`${entry.category}\` | ${statusOf(entry.category)} | ${entry.description} |`,
  );
  return ['| code | category | status | meaning |', '| --- | --- | --- | --- |', ...rows].join(
    '\n',
  );
}
