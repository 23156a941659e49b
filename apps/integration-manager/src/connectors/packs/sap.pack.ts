import { openapiDocument, jsonBody, queryParam, response } from './document';
import { BASIC_OR_OAUTH } from './basic-or-oauth';
import { instanceUrl, trimSlash, type PackDefinition } from './pack';

const SERVICE = '/sap/opu/odata/sap/API_BUSINESS_PARTNER';

/**
 * SAP S/4HANA Business Partner OData V2 service (API_BUSINESS_PARTNER):
 * read (GET /A_BusinessPartner('{BusinessPartner}')) and create (POST
 * /A_BusinessPartner) business partners, JSON format. Basic auth or OAuth
 * 2.0. A create first fetches the CSRF token (`x-csrf-token: Fetch` on the
 * service root) and sends it with the session cookies it is bound to.
 */
export const sapPack: PackDefinition = {
  kind: 'sap-s4hana',
  vendor: 'SAP',
  api: 'S/4HANA Business Partner (A2X) OData V2: API_BUSINESS_PARTNER',
  docs: 'https://api.sap.com/api/API_BUSINESS_PARTNER/overview',
  description: 'SAP S/4HANA: business partners get, create over OData (basic or OAuth 2.0)',
  document: openapiDocument(
    'SAP API_BUSINESS_PARTNER (trimmed)',
    `https://example.s4hana.ondemand.com${SERVICE}`,
    {
      "/A_BusinessPartner('{BusinessPartner}')": {
        get: {
          operationId: 'getBusinessPartner',
          summary: 'Read a business partner; output body { d: { BusinessPartner, … } }',
          parameters: [
            {
              name: 'BusinessPartner',
              in: 'path',
              required: true,
              description: 'the business partner number (up to 10 characters)',
              schema: { type: 'string', minLength: 1, maxLength: 10, pattern: "^[^']*$" },
            },
            queryParam('$select', 'comma-separated properties'),
            queryParam('$expand', 'e.g. to_BusinessPartnerAddress'),
          ],
          responses: response('{ d }'),
        },
      },
      '/A_BusinessPartner': {
        post: {
          operationId: 'createBusinessPartner',
          summary: 'Create a business partner; output body { d: { BusinessPartner, … } }',
          requestBody: jsonBody({
            type: 'object',
            required: ['BusinessPartnerCategory'],
            properties: {
              BusinessPartnerCategory: {
                enum: ['1', '2', '3'],
                description: '1 person, 2 organization, 3 group',
              },
              BusinessPartnerGrouping: { type: 'string', maxLength: 4 },
              FirstName: { type: 'string', maxLength: 40 },
              LastName: { type: 'string', maxLength: 40 },
              OrganizationBPName1: { type: 'string', maxLength: 40 },
              SearchTerm1: { type: 'string', maxLength: 20 },
              Language: { type: 'string', maxLength: 2 },
              to_BusinessPartnerRole: {
                type: 'object',
                description: '{ results: [{ BusinessPartnerRole }] }',
              },
              to_BusinessPartnerAddress: { type: 'object', description: '{ results: [ … ] }' },
            },
          }),
          responses: response('{ d }'),
        },
      },
    },
  ),
  configSchema: {
    type: 'object',
    required: ['host_url', 'auth'],
    additionalProperties: false,
    properties: {
      host_url: instanceUrl(
        'https://<host>[:port] of the S/4HANA system (the service path is added)',
      ),
      sap_client: {
        type: 'string',
        pattern: '^[0-9]{3}$',
        description: 'SAP client (sap-client header)',
      },
      auth: BASIC_OR_OAUTH.schema,
    },
  },
  secretFields: BASIC_OR_OAUTH.secretFields,
  // SAP Gateway refuses a POST without the CSRF token of the session (fetched from the service root).
  csrfPath: '/',
  validate: BASIC_OR_OAUTH.validate,
  http(config, secrets) {
    const host = trimSlash(config.host_url);
    const auth = config.auth as { token_url?: string };
    return {
      config: {
        base_url: `${host}${SERVICE}`,
        headers: {
          accept: 'application/json',
          ...(typeof config.sap_client === 'string' ? { 'sap-client': config.sap_client } : {}),
        },
        ...BASIC_OR_OAUTH.httpAuth(config, auth.token_url ?? `${host}/sap/bc/sec/oauth2/token`),
      },
      secrets: BASIC_OR_OAUTH.httpSecrets(secrets),
    };
  },
};
