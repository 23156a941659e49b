import { openapiDocument, jsonBody, pathParam, response } from './document';
import { instanceUrl, renameSecret, requireSecret, trimSlash, type PackDefinition } from './pack';

/**
 * Zendesk Support API: create a ticket (POST /api/v2/tickets) and get one
 * (GET /api/v2/tickets/{ticket_id}). API token auth: basic with
 * `{email}/token` as user name and the token as password.
 */
export const zendeskPack: PackDefinition = {
  kind: 'zendesk',
  vendor: 'Zendesk',
  api: 'Support API (tickets)',
  docs: 'https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/',
  description: 'Zendesk: tickets create, get (API token)',
  document: openapiDocument('Zendesk Support API (trimmed)', 'https://example.zendesk.com/api/v2', {
    '/tickets': {
      post: {
        operationId: 'createTicket',
        summary: 'Create a ticket; output body { ticket: { id, … } }',
        requestBody: jsonBody({
          type: 'object',
          required: ['ticket'],
          properties: {
            ticket: {
              type: 'object',
              required: ['comment'],
              properties: {
                subject: { type: 'string' },
                comment: {
                  type: 'object',
                  properties: {
                    body: { type: 'string' },
                    html_body: { type: 'string' },
                    public: { type: 'boolean' },
                  },
                },
                priority: { enum: ['urgent', 'high', 'normal', 'low'] },
                type: { enum: ['problem', 'incident', 'question', 'task'] },
                status: { type: 'string' },
                requester: {
                  type: 'object',
                  properties: { name: { type: 'string' }, email: { type: 'string' } },
                },
                requester_id: { type: 'integer' },
                tags: { type: 'array', items: { type: 'string' } },
                external_id: { type: 'string' },
              },
            },
          },
        }),
        responses: response('{ ticket }'),
      },
    },
    '/tickets/{ticket_id}': {
      get: {
        operationId: 'getTicket',
        summary: 'Get a ticket by id',
        parameters: [
          { ...pathParam('ticket_id', 'the ticket id'), schema: { type: 'integer', minimum: 1 } },
        ],
        responses: response('{ ticket }'),
      },
    },
  }),
  configSchema: {
    type: 'object',
    required: ['instance_url', 'email'],
    additionalProperties: false,
    properties: {
      instance_url: instanceUrl('https://<subdomain>.zendesk.com'),
      email: { type: 'string', minLength: 3, description: 'the agent the API token belongs to' },
    },
  },
  secretFields: [{ name: 'api_token', required: true, description: 'a Zendesk API token' }],
  validate(_config, secrets) {
    requireSecret(secrets, 'api_token', 'Zendesk API token auth');
  },
  http(config, secrets) {
    return {
      config: {
        base_url: `${trimSlash(config.instance_url)}/api/v2`,
        auth: { type: 'basic', username: `${String(config.email)}/token` },
      },
      secrets: renameSecret(secrets, 'api_token', 'password'),
    };
  },
};
