import { openapiDocument, jsonBody, queryParam, response } from './document';
import { instanceUrl, pickSecrets, requireSecret, trimSlash, type PackDefinition } from './pack';

/**
 * Salesforce REST API: create a Case (sObject Rows, POST
 * /services/data/vXX.X/sobjects/Case) and run a SOQL query (GET
 * /services/data/vXX.X/query?q=). OAuth 2.0 (client credentials or refresh
 * token flow) against the instance's /services/oauth2/token, client id and
 * secret in the form body as Salesforce documents.
 */
export const salesforcePack: PackDefinition = {
  kind: 'salesforce',
  vendor: 'Salesforce',
  api: 'REST API (sObjects, query)',
  docs: 'https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/',
  description: 'Salesforce: create Case, SOQL query (OAuth 2.0)',
  document: openapiDocument(
    'Salesforce REST API (trimmed)',
    'https://example.my.salesforce.com/services/data/v60.0',
    {
      '/sobjects/Case': {
        post: {
          operationId: 'createCase',
          summary: 'Create a Case (fields as named in Salesforce, custom fields end in __c)',
          requestBody: jsonBody({
            type: 'object',
            minProperties: 1,
            properties: {
              Subject: { type: 'string', maxLength: 255 },
              Description: { type: 'string', maxLength: 32000 },
              Status: { type: 'string' },
              Origin: { type: 'string' },
              Priority: { type: 'string' },
              Type: { type: 'string' },
              Reason: { type: 'string' },
              ContactId: { type: 'string' },
              AccountId: { type: 'string' },
              SuppliedEmail: { type: 'string' },
              SuppliedName: { type: 'string' },
            },
          }),
          responses: response('{ id, success, errors }'),
        },
      },
      '/query': {
        get: {
          operationId: 'query',
          summary: 'Run a SOQL query; output body { totalSize, done, records, nextRecordsUrl }',
          parameters: [
            queryParam(
              'q',
              'the SOQL query',
              { type: 'string', minLength: 1, maxLength: 100000 },
              true,
            ),
          ],
          responses: response('{ totalSize, done, records }'),
        },
      },
    },
  ),
  configSchema: {
    type: 'object',
    required: ['instance_url', 'auth'],
    additionalProperties: false,
    properties: {
      instance_url: instanceUrl('https://<your-domain>.my.salesforce.com'),
      api_version: { type: 'string', pattern: '^v[0-9]{2,3}\\.0$', default: 'v60.0' },
      auth: {
        type: 'object',
        required: ['type', 'client_id'],
        additionalProperties: false,
        properties: {
          type: { enum: ['oauth2_client_credentials', 'oauth2_refresh_token'] },
          client_id: {
            type: 'string',
            minLength: 1,
            description: 'the connected app’s consumer key',
          },
          token_url: {
            type: 'string',
            format: 'uri',
            pattern: '^https?://',
            description: 'default: <instance_url>/services/oauth2/token',
          },
        },
      },
    },
  },
  secretFields: [
    { name: 'client_secret', required: true, description: 'the connected app’s consumer secret' },
    { name: 'refresh_token', description: 'auth oauth2_refresh_token' },
  ],
  validate(config, secrets) {
    requireSecret(secrets, 'client_secret', 'Salesforce OAuth 2.0');
    const auth = config.auth as { type: string };
    if (auth.type === 'oauth2_refresh_token') requireSecret(secrets, 'refresh_token', auth.type);
  },
  http(config, secrets) {
    const instance = trimSlash(config.instance_url);
    const auth = config.auth as { type: string; client_id: string; token_url?: string };
    return {
      config: {
        base_url: `${instance}/services/data/${String(config.api_version ?? 'v60.0')}`,
        auth: {
          type: auth.type,
          client_id: auth.client_id,
          token_url: auth.token_url ?? `${instance}/services/oauth2/token`,
          client_auth: 'body',
        },
      },
      secrets: pickSecrets(secrets, ['client_secret', 'refresh_token']),
    };
  },
};
