import { openapiDocument, jsonBody, response } from './document';
import { instanceUrl, renameSecret, requireSecret, trimSlash, type PackDefinition } from './pack';

const FILTER = {
  type: 'object',
  required: ['propertyName', 'operator'],
  properties: {
    propertyName: { type: 'string' },
    operator: {
      enum: [
        'EQ',
        'NEQ',
        'LT',
        'LTE',
        'GT',
        'GTE',
        'BETWEEN',
        'IN',
        'NOT_IN',
        'HAS_PROPERTY',
        'NOT_HAS_PROPERTY',
        'CONTAINS_TOKEN',
        'NOT_CONTAINS_TOKEN',
      ],
    },
    value: { type: 'string' },
    highValue: { type: 'string' },
    values: { type: 'array', items: { type: 'string' } },
  },
};

/**
 * HubSpot CRM API v3 contacts: create (POST /crm/v3/objects/contacts) and
 * search (POST /crm/v3/objects/contacts/search). A private app's access
 * token as bearer.
 */
export const hubspotPack: PackDefinition = {
  kind: 'hubspot',
  vendor: 'HubSpot',
  api: 'CRM API v3 (contacts)',
  docs: 'https://developers.hubspot.com/docs/api/crm/contacts',
  description: 'HubSpot: contacts create, search (private app token)',
  document: openapiDocument('HubSpot CRM contacts (trimmed)', 'https://api.hubapi.com', {
    '/crm/v3/objects/contacts': {
      post: {
        operationId: 'createContact',
        summary: 'Create a contact; output body { id, properties, … }',
        requestBody: jsonBody({
          type: 'object',
          required: ['properties'],
          properties: {
            properties: {
              type: 'object',
              additionalProperties: { type: 'string' },
              description: 'email, firstname, lastname, phone, company, …',
            },
            associations: { type: 'array', items: { type: 'object' } },
          },
        }),
        responses: response('the contact'),
      },
    },
    '/crm/v3/objects/contacts/search': {
      post: {
        operationId: 'searchContacts',
        summary: 'Search contacts; output body { total, results, paging }',
        // A read that HubSpot exposes as POST: retrying it is safe.
        'x-baton-idempotent': true,
        requestBody: jsonBody({
          type: 'object',
          properties: {
            query: { type: 'string' },
            filterGroups: {
              type: 'array',
              maxItems: 5,
              items: {
                type: 'object',
                required: ['filters'],
                properties: { filters: { type: 'array', maxItems: 6, items: FILTER } },
              },
            },
            sorts: { type: 'array', items: { type: 'string' } },
            properties: { type: 'array', items: { type: 'string' } },
            limit: { type: 'integer', minimum: 1, maximum: 200 },
            after: { type: 'string' },
          },
        }),
        responses: response('{ total, results, paging }'),
      },
    },
  }),
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      base_url: {
        ...instanceUrl('default https://api.hubapi.com'),
        default: 'https://api.hubapi.com',
      },
    },
  },
  secretFields: [
    { name: 'access_token', required: true, description: 'a private app’s access token' },
  ],
  validate(_config, secrets) {
    requireSecret(secrets, 'access_token', 'HubSpot private app auth');
  },
  http(config, secrets) {
    return {
      config: {
        base_url: trimSlash(config.base_url ?? 'https://api.hubapi.com'),
        auth: { type: 'bearer' },
      },
      secrets: renameSecret(secrets, 'access_token', 'token'),
    };
  },
};
