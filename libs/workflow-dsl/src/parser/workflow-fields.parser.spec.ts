import { DslCodes } from '../errors/dsl.errors';
import { doc, only, STEP, summary } from '../testing/problem.helpers';

describe('triggers, handlers and schemas', () => {
  it('rejects an invalid cron expression and an unknown timezone', () => {
    expect(
      only(doc('workflow:', '  name: x', '  trigger:', '    schedule: "61 * * * *"', ...STEP)),
    ).toMatchObject({
      code: DslCodes.badCron,
      path: 'workflow.trigger.schedule',
      line: 4,
      column: 15,
    });
    expect(
      only(
        doc(
          'workflow:',
          '  name: x',
          '  trigger: { schedule: "0 9 * * 1-5", timezone: Mars/Base }',
          ...STEP,
        ),
      ),
    ).toMatchObject({
      code: DslCodes.badCron,
      path: 'workflow.trigger.timezone',
      line: 3,
      column: 49,
    });
  });

  it('rejects unknown error handler targets and warns about unknown error types', () => {
    expect(
      summary(
        doc(
          'workflow:',
          '  name: x',
          '  error_handlers:',
          '    timeout: nowhere',
          '    system_error: Bad Target',
          '    quota_exceeded: escalate',
          // Built-in types (guardrail is an llm agent's refused answer) are not warned about.
          '    guardrail: escalate',
          '    default: workflow:fallback-flow',
          ...STEP,
        ),
      ),
    ).toEqual([
      ['error', DslCodes.unknownHandler, 'workflow.error_handlers.timeout', 4, 14],
      ['error', DslCodes.unknownHandler, 'workflow.error_handlers.system_error', 5, 19],
      ['warning', DslCodes.unknownErrorType, 'workflow.error_handlers.quota_exceeded', 6, 5],
    ]);
  });

  it('compiles input_schema and output_schema with Ajv', () => {
    expect(
      summary(
        doc(
          'workflow:',
          '  name: x',
          '  input_schema:',
          '    type: 12',
          ...STEP,
          '      output_schema: { type: object, colour: red }',
        ),
      ),
    ).toEqual([
      ['error', DslCodes.badSchema, 'workflow.input_schema', 4, 5],
      ['warning', DslCodes.badSchema, 'workflow.steps[0].output_schema', 8, 22],
    ]);
  });
});
