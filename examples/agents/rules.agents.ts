import type { AgentRegistration } from '@baton/sdk';

/**
 * The seed's classification-agent and routing-agent as `rules` agents:
 * agent-manager runs them itself, with no worker process and no model.
 * They answer like the worker versions in customer-service.agents.ts.
 */
export const classificationRules: AgentRegistration = {
  name: 'classification-agent',
  type: 'classifier',
  runtime: 'rules',
  capabilities: ['classify'],
  max_instances: 3,
  description: 'Classifies an inquiry as billing, technical or general by keywords.',
  config: {
    rules: [
      {
        when: {
          keywords: [
            'invoice',
            'bill',
            'billing',
            'charge',
            'charged',
            'refund',
            'payment',
            'price',
          ],
        },
        output: classified('billing', 0.9),
      },
      {
        when: { regex: '\\b(error|bug|crash|broken|login|password|install|not working)\\b' },
        output: classified('technical', 0.9),
      },
    ],
    default: classified('general', 0.5),
  },
  output_schema: {
    type: 'object',
    required: ['category', 'confidence', 'context'],
    properties: {
      category: { enum: ['billing', 'technical', 'general'] },
      confidence: { type: 'number' },
      context: { type: 'object' },
    },
  },
};

function classified(category: string, confidence: number) {
  return {
    category,
    confidence,
    context: {
      text: '${input.text ? input.text : input.message}',
      customer: "${input.customer ? input.customer : 'customer'}",
      category,
    },
  };
}

export const routingRules: AgentRegistration = {
  name: 'routing-agent',
  type: 'router',
  runtime: 'rules',
  capabilities: ['route'],
  max_instances: 3,
  description: 'Picks the specialist agent for a classified inquiry.',
  config: {
    rules: [
      { when: { expression: "category = 'billing'" }, output: { specialist: 'billing-agent' } },
      {
        when: { expression: "category = 'technical'" },
        output: { specialist: 'tech-support-agent' },
      },
    ],
    default: { specialist: 'general-support-agent' },
  },
};

export const rulesAgents: AgentRegistration[] = [classificationRules, routingRules];
