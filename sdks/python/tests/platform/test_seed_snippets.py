"""The seed's Python snippets (seed/orchestrate-integration.md), run as the seed writes them.

Each snippet below is copied verbatim; only its surroundings are set up here:
the environment gives the endpoint and key, and the agents the snippets name
exist (`classification-agent` as a rules agent, which agent-manager answers
itself), and for `create_alert`, an email and a Slack channel (the kinds the
snippet names) are in the workspace.
"""

from __future__ import annotations

import os
import textwrap
import unittest
import uuid

from .support import Collector, platform, wait_until_served_by_agent_manager

BASIC_CONFIGURATION = '''
from orchestrate import OrchestratePlatform

# Initialize Orchestrate connection
orchestrate = OrchestratePlatform(
    api_key=os.getenv('ORCHESTRATE_API_KEY'),
    endpoint=os.getenv('ORCHESTRATE_ENDPOINT'),
    workspace_id=os.getenv('ORCHESTRATE_WORKSPACE_ID')
)

# Register an agent
orchestrate.register_agent(
    name='customer-service-agent',
    type='conversational',
    capabilities=['chat', 'email', 'ticket-management'],
    max_instances=10
)
'''

ADVANCED_CONFIGURATION = '''
# Configure workflow with error handling
workflow = orchestrate.create_workflow(
    name='order-processing',
    retry_policy={
        'max_attempts': 3,
        'backoff': 'exponential',
        'initial_delay': 1000
    },
    error_handlers={
        'timeout': 'notify-admin',
        'validation_error': 'return-to-user',
        'system_error': 'escalate'
    }
)
'''

REQUEST_RESPONSE = '''
response = orchestrate.invoke_agent(
    agent_id='classification-agent',
    input={'text': 'Customer inquiry text'},
    timeout=5000
)
'''

FIRE_AND_FORGET = '''
orchestrate.submit_task(
    agent_id='data-processing-agent',
    input={'dataset': 'large-dataset.csv'},
    callback_url='https://api.example.com/callback'
)
'''

PUB_SUB = '''
orchestrate.subscribe(
    agent_id='notification-agent',
    events=['order.created', 'order.updated'],
    handler=handle_order_event
)
'''

LOGGING = '''
orchestrate.logger.info(
    'Agent invoked',
    agent_id='customer-service-agent',
    request_id='req-12345',
    user_id='user-67890'
)
'''

CREATE_ALERT = '''
orchestrate.create_alert(
    name='high-error-rate',
    condition='error_rate > 0.05',
    notification_channels=['email', 'slack'],
    severity='critical'
)
'''


class SeedSnippetsTest(unittest.TestCase):
    """In order, sharing one namespace, as a reader would paste them into one script."""

    @classmethod
    def setUpClass(cls) -> None:
        setup = platform()
        # The agents the snippets call, which the seed registers elsewhere.
        setup.register_agent(
            name='classification-agent',
            type='classifier',
            runtime='rules',
            config={'rules': [], 'default': {'category': 'general'}},
        )
        setup.register_agent(name='data-processing-agent', type='worker')
        setup.register_agent(name='notification-agent', type='worker')
        wait_until_served_by_agent_manager(setup, 'classification-agent')
        cls.setup_client = setup
        cls.namespace = {'os': os, 'handle_order_event': Collector()}

    def run_snippet(self, snippet: str) -> None:
        exec(compile(textwrap.dedent(snippet), '<seed snippet>', 'exec'), self.namespace)  # noqa: S102

    def test_1_basic_configuration_registers_the_agent(self) -> None:
        self.run_snippet(BASIC_CONFIGURATION)
        agent = self.setup_client.get_agent('customer-service-agent')
        self.assertEqual(agent['type'], 'conversational')
        self.assertEqual(agent['capabilities'], ['chat', 'email', 'ticket-management'])
        self.assertEqual(agent['max_instances'], 10)

    def test_2_advanced_configuration_makes_a_draft_with_the_settings(self) -> None:
        self.run_snippet(ADVANCED_CONFIGURATION)
        workflow = self.namespace['workflow']
        self.assertEqual(workflow.name, 'order-processing')
        self.assertEqual(workflow.retry_policy['max_attempts'], 3)
        # Given steps, it becomes a real workflow with the seed's retry policy and handlers.
        created = workflow.add_step(name='process', agent='data-processing-agent').publish()
        self.assertEqual(created['name'], 'order-processing')
        version = self.setup_client.get_workflow_version('order-processing', created['version'])
        self.assertIn('retry_policy', version['source'])
        self.assertIn('notify-admin', version['source'])

    def test_3_request_response_answers_the_agents_output(self) -> None:
        self.run_snippet(REQUEST_RESPONSE)
        response = self.namespace['response']
        self.assertEqual(response['output'], {'category': 'general'})

    def test_4_fire_and_forget_answers_a_task_id(self) -> None:
        self.run_snippet(FIRE_AND_FORGET.replace('orchestrate.submit_task(', 'task = orchestrate.submit_task(', 1))
        task = self.namespace['task']
        self.assertTrue(task['task_id'])
        self.assertEqual(self.setup_client.get_task(task['task_id'])['agent'], 'data-processing-agent')

    def test_5_pub_sub_calls_the_handler_for_each_matching_event(self) -> None:
        self.run_snippet(PUB_SUB.replace('orchestrate.subscribe(', 'subscription = orchestrate.subscribe(', 1))
        subscription = self.namespace['subscription']
        self.addCleanup(subscription.close)
        order = uuid.uuid4().hex
        self.setup_client.publish_event('order.created', {'order': order}, subject=order)
        self.setup_client.publish_event('invoice.created', {'order': order}, subject=order)
        self.setup_client.publish_event('order.updated', {'order': order, 'status': 'paid'}, subject=order)
        handled = self.namespace['handle_order_event'].wait_for(2, where=lambda e: e.subject == order)
        self.assertEqual([e.type for e in handled], ['order.created', 'order.updated'])
        self.assertEqual(handled[1].data, {'order': order, 'status': 'paid'})

    def test_6_logging_writes_a_json_line(self) -> None:
        import io
        import json

        stream = io.StringIO()
        self.namespace['orchestrate'].logger._stream = stream
        self.run_snippet(LOGGING)
        record = json.loads(stream.getvalue())
        self.assertEqual(record['msg'], 'Agent invoked')
        self.assertEqual(record['request_id'], 'req-12345')

    def test_7_create_alert_makes_the_rule_over_the_channels_of_those_kinds(self) -> None:
        # The channels an operator sets up first (docs/alerts.md); nothing is sent to them here.
        for channel in (
            {'name': 'oncall-mail', 'kind': 'email',
             'config': {'host': '127.0.0.1', 'port': 2525, 'require_tls': False,
                        'from': 'Baton <alerts@baton.test>', 'to': ['oncall@baton.test']}},
            {'name': 'ops-chat', 'kind': 'slack',
             'config': {'webhook_url': 'http://127.0.0.1:9/services/T000/B000/not-a-token'}},
        ):
            self.setup_client._http.request('POST', '/v1/notification-channels', body=channel)
        self.run_snippet(CREATE_ALERT)
        rule = self.setup_client._http.request('GET', '/v1/alerts/high-error-rate')
        self.assertEqual(rule['condition'], 'error_rate > 0.05')
        self.assertEqual(rule['severity'], 'critical')
        self.assertEqual(rule['notification_channels'], ['email', 'slack'])


if __name__ == '__main__':
    unittest.main()
