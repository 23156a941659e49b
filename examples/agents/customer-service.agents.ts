import type { AgentRegistration, TaskHandler } from '@baton/sdk';

/**
 * The example agents behind the seed's customer-inquiry-handler. They are
 * deliberately simple (keywords, a lookup table, templates) so the demo runs
 * anywhere; a real deployment swaps in LLM or remote agents of the same names.
 */
export interface ExampleAgent {
  registration: AgentRegistration;
  handler: TaskHandler;
}

interface Inquiry {
  text?: string;
  message?: string;
  customer?: string;
}

const CATEGORY_KEYWORDS: [string, RegExp][] = [
  ['billing', /\b(invoice|bill|billing|charge|charged|refund|payment|price)\b/i],
  ['technical', /\b(error|bug|crash|broken|login|password|install|not working)\b/i],
];

export const classificationAgent: ExampleAgent = {
  registration: {
    name: 'classification-agent',
    type: 'classifier',
    capabilities: ['classify'],
    max_instances: 3,
    description: 'Classifies an inquiry as billing, technical or general by keywords.',
  },
  handler: (input) => {
    const inquiry = (input ?? {}) as Inquiry;
    const text = inquiry.text ?? inquiry.message ?? '';
    const category = CATEGORY_KEYWORDS.find(([, pattern]) => pattern.test(text))?.[0] ?? 'general';
    return {
      category,
      confidence: category === 'general' ? 0.5 : 0.9,
      context: { text, customer: inquiry.customer ?? 'customer', category },
    };
  },
};

const SPECIALISTS: Record<string, string> = {
  billing: 'billing-agent',
  technical: 'tech-support-agent',
  general: 'general-support-agent',
};

export const routingAgent: ExampleAgent = {
  registration: {
    name: 'routing-agent',
    type: 'router',
    capabilities: ['route'],
    max_instances: 3,
    description: 'Picks the specialist agent for a classified inquiry.',
  },
  handler: (input) => {
    const category = ((input ?? {}) as { category?: string }).category ?? 'general';
    return { specialist: SPECIALISTS[category] ?? SPECIALISTS.general };
  },
};

function specialist(
  name: string,
  description: string,
  answer: (context: Inquiry) => string,
): ExampleAgent {
  return {
    registration: {
      name,
      type: 'conversational',
      capabilities: ['chat', 'email'],
      max_instances: 3,
      description,
    },
    handler: (input) => {
      const context = (input ?? {}) as Inquiry;
      return { response: answer(context), handled_by: name };
    },
  };
}

export const specialistAgents: ExampleAgent[] = [
  specialist(
    'billing-agent',
    'Answers billing questions.',
    (c) =>
      `Hello ${c.customer ?? 'there'}, we have looked at your billing question ("${c.text ?? ''}") and a refund review is open.`,
  ),
  specialist(
    'tech-support-agent',
    'Answers technical questions.',
    (c) =>
      `Hello ${c.customer ?? 'there'}, for "${c.text ?? ''}" please try signing out and in again; a technician is following up.`,
  ),
  specialist(
    'general-support-agent',
    'Answers everything else.',
    (c) =>
      `Hello ${c.customer ?? 'there'}, thanks for writing ("${c.text ?? ''}"); we will get back to you within a day.`,
  ),
];

export const exampleAgents: ExampleAgent[] = [
  classificationAgent,
  routingAgent,
  ...specialistAgents,
];
