import type { components, paths } from './generated/openapi';

/**
 * The API's answers, as the gateway's /openapi.json describes them (generated
 * by `npm run sdk:types`, never written by hand).
 */
export type ApiSchemas = components['schemas'];
export type ApiPaths = paths;

export type RunView = ApiSchemas['RunView'];
export type StepView = ApiSchemas['StepView'];
export type RunPage = ApiSchemas['RunPage'];
export type WorkflowView = ApiSchemas['WorkflowView'];
export type WorkflowVersionView = ApiSchemas['WorkflowVersionView'];
export type ValidationReportView = ApiSchemas['ValidationReportView'];
export type AgentView = ApiSchemas['AgentView'];
export type ApiKeyView = ApiSchemas['ApiKeyView'];
export type IssuedApiKeyView = ApiSchemas['IssuedApiKeyView'];
export type StoredEventView = ApiSchemas['StoredEventView'];
export type ReplayView = ApiSchemas['ReplayView'];
export type ConnectionView = ApiSchemas['ConnectionView'];
export type ClaimedTaskView = ApiSchemas['ClaimedTaskView'];
export type ClaimLeaseView = ApiSchemas['ClaimLeaseView'];
export type ShadowReportView = ApiSchemas['ShadowReportView'];
export type RunAdmissionView = ApiSchemas['RunAdmissionView'];

/** A request body of the API, by its DTO's name: `ApiRequest<'RegisterAgentCommand'>`. */
export type ApiRequest<Name extends keyof ApiSchemas> = ApiSchemas[Name];
