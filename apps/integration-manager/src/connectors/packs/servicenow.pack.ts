import { openapiDocument, jsonBody, pathParam, queryParam, response } from './document';
import { BASIC_OR_OAUTH } from './basic-or-oauth';
import { instanceUrl, trimSlash, type PackDefinition } from './pack';

const INCIDENT = {
  type: 'object',
  description: 'incident fields (short_description, description, caller_id, urgency, impact, …)',
  properties: {
    short_description: { type: 'string' },
    description: { type: 'string' },
    caller_id: { type: 'string' },
    urgency: { type: 'string' },
    impact: { type: 'string' },
    category: { type: 'string' },
    assignment_group: { type: 'string' },
    state: { type: 'string' },
    work_notes: { type: 'string' },
    comments: { type: 'string' },
  },
};

const DISPLAY_VALUE = queryParam('sysparm_display_value', 'true, false or all', {
  enum: ['true', 'false', 'all'],
});
const FIELDS = queryParam('sysparm_fields', 'comma-separated fields to return');

/**
 * ServiceNow Table API on the incident table: create (POST
 * /api/now/table/incident), get and update (GET/PATCH
 * /api/now/table/incident/{sys_id}). Basic auth or OAuth 2.0 against the
 * instance's /oauth_token.do.
 */
export const servicenowPack: PackDefinition = {
  kind: 'servicenow',
  vendor: 'ServiceNow',
  api: 'Table API (incident)',
  docs: 'https://docs.servicenow.com/bundle/latest/page/integrate/inbound-rest/concept/c_TableAPI.html',
  description: 'ServiceNow: incidents create, get, update (basic or OAuth 2.0)',
  document: openapiDocument(
    'ServiceNow Table API (trimmed)',
    'https://example.service-now.com/api/now',
    {
      '/table/incident': {
        post: {
          operationId: 'createIncident',
          summary: 'Create an incident; output body { result: { sys_id, number, … } }',
          parameters: [DISPLAY_VALUE, FIELDS],
          requestBody: jsonBody({ ...INCIDENT, minProperties: 1 }),
          responses: response('{ result }'),
        },
      },
      '/table/incident/{sys_id}': {
        parameters: [pathParam('sys_id', 'the incident’s sys_id')],
        get: {
          operationId: 'getIncident',
          summary: 'Get an incident by sys_id',
          parameters: [DISPLAY_VALUE, FIELDS],
          responses: response('{ result }'),
        },
        patch: {
          operationId: 'updateIncident',
          summary: 'Update fields of an incident',
          parameters: [DISPLAY_VALUE, FIELDS],
          requestBody: jsonBody({ ...INCIDENT, minProperties: 1 }),
          'x-baton-idempotent': true,
          responses: response('{ result }'),
        },
      },
    },
  ),
  configSchema: {
    type: 'object',
    required: ['instance_url', 'auth'],
    additionalProperties: false,
    properties: {
      instance_url: instanceUrl('https://<instance>.service-now.com'),
      auth: BASIC_OR_OAUTH.schema,
    },
  },
  secretFields: BASIC_OR_OAUTH.secretFields,
  validate: BASIC_OR_OAUTH.validate,
  http(config, secrets) {
    const instance = trimSlash(config.instance_url);
    return {
      config: {
        base_url: `${instance}/api/now`,
        ...BASIC_OR_OAUTH.httpAuth(config, `${instance}/oauth_token.do`, 'body'),
      },
      secrets: BASIC_OR_OAUTH.httpSecrets(secrets),
    };
  },
};
