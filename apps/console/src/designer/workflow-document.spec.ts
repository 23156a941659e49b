import * as fs from 'node:fs';
import * as path from 'node:path';
import { workflowGraph } from './graph';
import {
  appendStep,
  EMPTY_WORKFLOW,
  moveStep,
  parseWorkflow,
  setStepField,
  stepField,
  stepIdOfProblemPath,
  stepsOf,
} from './workflow-document';

const SEED = fs.readFileSync(
  path.join(__dirname, '../../../../examples/workflows/customer-inquiry-handler.yaml'),
  'utf8',
);

describe('the designer document', () => {
  it('reads the seed workflow as four steps in order, with their targets', () => {
    const { doc, problems } = parseWorkflow(SEED);
    expect(problems).toEqual([]);
    expect(stepsOf(doc).map((s) => [s.name, s.kind, s.target])).toEqual([
      ['classify-inquiry', 'agent', 'classification-agent'],
      ['route-to-specialist', 'agent', 'routing-agent'],
      ['process-inquiry', 'agent', '${route-to-specialist.specialist}'],
      ['send-response', 'action', 'send-message'],
    ]);
  });

  it('keeps comments and key order when a field is edited from the side panel', () => {
    const { doc } = parseWorkflow(SEED);
    setStepField(doc, ['workflow', 'steps', 0], 'timeout', '10s');
    const text = doc.toString();
    expect(text).toContain("# The seed's workflow, verbatim");
    expect(text).toContain('timeout: 10s');
    const keys = text.match(/^ {4}- name: [\w-]+$/gm);
    expect(keys).toEqual([
      '    - name: classify-inquiry',
      '    - name: route-to-specialist',
      '    - name: process-inquiry',
      '    - name: send-response',
    ]);
  });

  it('appends dropped steps in block style to an empty workflow, with fresh names', () => {
    const { doc } = parseWorkflow(EMPTY_WORKFLOW);
    expect(appendStep(doc, 'agent')).toBe('agent-1');
    expect(appendStep(doc, 'agent')).toBe('agent-2');
    expect(appendStep(doc, 'action')).toBe('action-1');
    expect(doc.toString()).toBe(
      'workflow:\n  name: untitled-workflow\n  steps:\n' +
        '    - name: agent-1\n      agent: my-agent\n' +
        '    - name: agent-2\n      agent: my-agent\n' +
        '    - name: action-1\n      action: send-message\n',
    );
  });

  it('removes a field set to nothing, and reorders steps', () => {
    const { doc } = parseWorkflow(SEED);
    setStepField(doc, ['workflow', 'steps', 0], 'timeout', '');
    moveStep(doc, 3, -1);
    expect(doc.toString()).not.toContain('timeout');
    expect(stepsOf(doc).map((s) => s.name)).toEqual([
      'classify-inquiry',
      'route-to-specialist',
      'send-response',
      'process-inquiry',
    ]);
  });

  it('reports a YAML syntax error with its line and column', () => {
    const { problems } = parseWorkflow('workflow:\n  name: x\n  steps: [\n');
    expect(problems).toHaveLength(1);
    expect(problems[0].line).toBeGreaterThanOrEqual(3);
    expect(problems[0].column).not.toBeNull();
  });

  it('draws control flow: a switch fans out to its cases, which join at the next step', () => {
    const { doc } = parseWorkflow(EMPTY_WORKFLOW);
    appendStep(doc, 'switch');
    appendStep(doc, 'agent');
    const { nodes, edges } = workflowGraph(stepsOf(doc));
    expect(nodes.map((n) => n.name)).toEqual([
      'start',
      'switch-1',
      'switch-1-urgent',
      'switch-1-normal',
      'agent-1',
    ]);
    const named = (id: string) => nodes.find((n) => n.id === id)?.name;
    expect(edges.map((e) => `${named(e.source)}->${named(e.target)}`)).toEqual([
      'start->switch-1',
      'switch-1->switch-1-urgent',
      'switch-1->switch-1-normal',
      'switch-1-urgent->agent-1',
      'switch-1-normal->agent-1',
    ]);
    // dagre places every node, the switch above its cases.
    const y = (name: string) => nodes.find((n) => n.name === name)?.y ?? NaN;
    expect(y('switch-1')).toBeLessThan(y('switch-1-urgent'));
  });

  it('edits nested fields such as the retry policy, and drops the emptied map', () => {
    const { doc } = parseWorkflow(SEED);
    setStepField(doc, ['workflow', 'steps', 1], ['retry', 'max_attempts'], 3);
    expect(stepField(doc, ['workflow', 'steps', 1], ['retry', 'max_attempts'])).toBe('3');
    expect(doc.toString()).toContain('retry:\n        max_attempts: 3');
    setStepField(doc, ['workflow', 'steps', 1], ['retry', 'max_attempts'], '');
    expect(doc.toString()).not.toContain('retry');
  });

  it('keeps a required field in place while it is retyped, so the key order survives', () => {
    const { doc } = parseWorkflow(SEED);
    setStepField(doc, ['workflow', 'steps', 0], 'name', '');
    setStepField(doc, ['workflow', 'steps', 0], 'name', 'classify');
    expect(doc.toString()).toContain('    - name: classify\n      agent: classification-agent');
  });

  it('finds the step a validation problem is about', () => {
    const ids = new Set([
      'workflow.steps.0',
      'workflow.steps.1',
      'workflow.steps.1.switch.0.steps.0',
    ]);
    expect(stepIdOfProblemPath('workflow.steps[1].input', ids)).toBe('workflow.steps.1');
    expect(stepIdOfProblemPath('workflow.steps[1].switch[0].steps[0].agent', ids)).toBe(
      'workflow.steps.1.switch.0.steps.0',
    );
    expect(stepIdOfProblemPath('workflow.name', ids)).toBeUndefined();
  });
});
