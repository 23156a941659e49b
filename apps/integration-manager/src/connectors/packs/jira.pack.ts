import { openapiDocument, jsonBody, pathParam, queryParam, response } from './document';
import { instanceUrl, renameSecret, requireSecret, trimSlash, type PackDefinition } from './pack';

/**
 * Jira Cloud platform REST API v3 issues: create (POST /rest/api/3/issue)
 * and get (GET /rest/api/3/issue/{issueIdOrKey}). Basic auth with the
 * account's email and an API token.
 */
export const jiraPack: PackDefinition = {
  kind: 'jira',
  vendor: 'Atlassian Jira',
  api: 'Jira Cloud REST API v3 (issues)',
  docs: 'https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/',
  description: 'Jira: issues create, get (email + API token)',
  document: openapiDocument('Jira Cloud REST API v3 (trimmed)', 'https://example.atlassian.net', {
    '/rest/api/3/issue': {
      post: {
        operationId: 'createIssue',
        summary: 'Create an issue; output body { id, key, self }',
        requestBody: jsonBody({
          type: 'object',
          required: ['fields'],
          properties: {
            fields: {
              type: 'object',
              required: ['project', 'issuetype', 'summary'],
              properties: {
                project: { type: 'object', description: '{ key } or { id }' },
                issuetype: { type: 'object', description: '{ name } or { id }' },
                summary: { type: 'string', minLength: 1, maxLength: 255 },
                description: { type: 'object', description: 'Atlassian Document Format' },
                labels: { type: 'array', items: { type: 'string' } },
                priority: { type: 'object' },
                assignee: { type: 'object' },
              },
            },
            update: { type: 'object' },
          },
        }),
        responses: response('{ id, key, self }'),
      },
    },
    '/rest/api/3/issue/{issueIdOrKey}': {
      get: {
        operationId: 'getIssue',
        summary: 'Get an issue by id or key',
        parameters: [
          pathParam('issueIdOrKey', 'PROJ-123 or the issue id'),
          queryParam('fields', 'comma-separated fields to return'),
          queryParam('expand', 'e.g. renderedFields,changelog'),
        ],
        responses: response('the issue'),
      },
    },
  }),
  configSchema: {
    type: 'object',
    required: ['instance_url', 'email'],
    additionalProperties: false,
    properties: {
      instance_url: instanceUrl('https://<your-domain>.atlassian.net'),
      email: {
        type: 'string',
        minLength: 3,
        description: 'the Atlassian account of the API token',
      },
    },
  },
  secretFields: [{ name: 'api_token', required: true, description: 'an Atlassian API token' }],
  validate(_config, secrets) {
    requireSecret(secrets, 'api_token', 'Jira basic auth');
  },
  http(config, secrets) {
    return {
      config: {
        base_url: trimSlash(config.instance_url),
        auth: { type: 'basic', username: String(config.email) },
      },
      secrets: renameSecret(secrets, 'api_token', 'password'),
    };
  },
};
