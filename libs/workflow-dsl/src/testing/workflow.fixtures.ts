/** Workflow documents shared by the specs. */

/** The seed's "Workflow Orchestration" example, verbatim (blank lines keep their indentation). */
export const SEED_WORKFLOW_YAML = `workflow:
  name: customer-inquiry-handler
  trigger: incoming-message
  steps:
    - name: classify-inquiry
      agent: classification-agent
      timeout: 5s
    
    - name: route-to-specialist
      agent: routing-agent
      input: \${classify-inquiry.output}
    
    - name: process-inquiry
      agent: \${route-to-specialist.specialist}
      input: \${classify-inquiry.context}
    
    - name: send-response
      action: send-message
      input: \${process-inquiry.response}
`;

/** One document using every construct of the DSL. */
export const FULL_WORKFLOW_YAML = `workflow:
  name: order-processing
  description: Every construct of the DSL in one document
  version: 1.2
  trigger:
    schedule: "*/5 * * * *"
    timezone: Europe/Paris
  input_schema:
    type: object
    required: [orders]
    properties:
      orders: { type: array }
      ticket_id: { type: string }
  timeout: 10m
  retry_policy:
    max_attempts: 3
    backoff: exponential
    initial_delay: 1000
    max_delay: 30s
    jitter: true
  error_handlers:
    timeout: notify-admin
    validation_error: return-to-user
    system_error: escalate
    default: apologise
  output:
    summary: "Processed \${$count(input.orders)} orders"
    results: \${each-order.output}
  steps:
    - name: classify-inquiry
      description: Work out what the customer wants
      agent: classification-agent
      timeout: 5s
      input: \${input}
      retry: { max_attempts: 5, backoff: linear }
      when: \${input.priority} = "high"
      on_error: notify-admin
      output_schema:
        type: object
        properties: { category: { type: string } }
      output:
        category: \${classify-inquiry.category}
    - name: route
      switch:
        - when: \${classify-inquiry.category} = "billing"
          goto: billing
        - when: "\`classify-inquiry\`.category = 'refund'"
          steps:
            - name: refund-check
              agent: refund-agent
              input: { amount: "\${input.amount}" }
        - default: true
          steps:
            - name: triage
              agent: \${classify-inquiry.specialist}
    - name: billing
      action: crm.update-ticket
      connection: salesforce-prod
      input:
        ticket: \${input.ticket_id}
        note: "Billing inquiry for \${input.customer.name}"
    - name: enrich
      parallel:
        join: any
        branches:
          - name: crm
            steps:
              - name: crm-lookup
                action: crm.find-customer
          - steps:
              - name: erp-lookup
                action: erp.find-customer
    - name: each-order
      foreach:
        items: \${input.orders}
        concurrency: 5
        as: order
        steps:
          - name: check-order
            agent: order-agent
            input: { order: "\${order}", position: "\${index}" }
    - name: child
      workflow: fulfilment
      input: \${each-order.output}
    - name: approval
      wait_for_event:
        type: approval.granted
        correlation: \${input.ticket_id}
        timeout: 2d
      on_error: workflow:escalation-flow
    - name: apologise
      action: send-message
      input: { text: Sorry }
`;
