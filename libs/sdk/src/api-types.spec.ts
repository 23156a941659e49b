import type * as Contracts from '@baton/contracts';
import type * as Api from './api-types';

/**
 * The services answer their TypeScript views; clients type against the
 * schemas of /openapi.json. These assignments fail the type check (npm run
 * typecheck) when the two stop agreeing, in either direction: a view field
 * the schema does not document, or a documented field the view lacks.
 */
type Agrees<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

const agreements: Record<string, true> = {
  RunView: true satisfies Agrees<Contracts.RunView, Api.RunView>,
  StepView: true satisfies Agrees<Contracts.StepView, Api.StepView>,
  WorkflowView: true satisfies Agrees<Contracts.WorkflowView, Api.WorkflowView>,
  WorkflowVersionView: true satisfies Agrees<
    Contracts.WorkflowVersionView,
    Api.WorkflowVersionView
  >,
  ValidationReportView: true satisfies Agrees<
    Contracts.ValidationReportView,
    Api.ValidationReportView
  >,
  AgentView: true satisfies Agrees<Contracts.AgentView, Api.AgentView>,
  ApiKeyView: true satisfies Agrees<Contracts.ApiKeyView, Api.ApiKeyView>,
  IssuedApiKeyView: true satisfies Agrees<Contracts.IssuedApiKeyView, Api.IssuedApiKeyView>,
  StoredEventView: true satisfies Agrees<
    Omit<Contracts.StoredEventView, 'matched'>,
    Omit<Api.StoredEventView, 'matched'>
  >,
  ReplayView: true satisfies Agrees<Contracts.ReplayView, Api.ReplayView>,
  ConnectionView: true satisfies Agrees<Contracts.ConnectionView, Api.ConnectionView>,
  ClaimedTaskView: true satisfies Agrees<Contracts.ClaimedTaskView, Api.ClaimedTaskView>,
  ClaimLeaseView: true satisfies Agrees<Contracts.ClaimLeaseView, Api.ClaimLeaseView>,
  ShadowReportView: true satisfies Agrees<Contracts.ShadowReportView, Api.ShadowReportView>,
  RunAdmissionView: true satisfies Agrees<Contracts.RunAdmissionView, Api.RunAdmissionView>,
};

describe('generated API types', () => {
  it('agree with the views the services answer (checked by the compiler)', () => {
    expect(Object.values(agreements).every(Boolean)).toBe(true);
  });
});
