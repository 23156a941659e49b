import io
import json
import unittest

from orchestrate import (
    AuthenticationError,
    BadRequestError,
    NotFoundError,
    OrchestratePlatform,
    RateLimitedError,
    TimeoutError,
    UnavailableError,
    WorkflowDraft,
)
from orchestrate._http import retry_after_seconds
from orchestrate.logger import StructuredLogger

from .stub_server import StubServer

PROBLEM = {
    'type': 'https://baton.dev/problems/validation',
    'title': 'Bad Request',
    'status': 400,
    'code': 'VALIDATION',
    'detail': 'name: must be lowercase letters, digits and dashes (at most 63)',
    'errors': [{'field': 'name', 'message': 'must be lowercase letters, digits and dashes (at most 63)'}],
}


class ClientTest(unittest.TestCase):
    def setUp(self) -> None:
        self.stub = StubServer().__enter__()
        self.addCleanup(self.stub.__exit__)
        self.client = OrchestratePlatform(api_key='bk_test', endpoint=self.stub.url, workspace_id='acme')
        # Retries wait for real; keep them short here.
        self.client._http.backoff_base = 0.01

    def test_register_agent_sends_the_seed_fields_with_the_key(self) -> None:
        self.stub.default = (201, {}, {'name': 'customer-service-agent'})
        answer = self.client.register_agent(
            name='customer-service-agent',
            type='conversational',
            capabilities=['chat', 'email', 'ticket-management'],
            max_instances=10,
        )
        self.assertEqual(answer, {'name': 'customer-service-agent'})
        request = self.stub.requests[0]
        self.assertEqual((request.method, request.path), ('POST', '/v1/agents'))
        self.assertEqual(request.headers['authorization'], 'Bearer bk_test')
        self.assertEqual(request.headers['x-workspace-id'], 'acme')
        self.assertEqual(
            request.json(),
            {
                'name': 'customer-service-agent',
                'type': 'conversational',
                'capabilities': ['chat', 'email', 'ticket-management'],
                'max_instances': 10,
            },
        )

    def test_a_problem_becomes_a_typed_error_with_code_status_and_fields(self) -> None:
        self.stub.default = (400, {}, PROBLEM)
        with self.assertRaises(BadRequestError) as caught:
            self.client.register_agent(name='Bad Name', type='conversational')
        error = caught.exception
        self.assertEqual((error.status, error.code), (400, 'VALIDATION'))
        self.assertEqual(error.errors[0]['field'], 'name')
        self.assertIn('name: must be lowercase', str(error))

    def test_statuses_map_to_their_errors(self) -> None:
        for status, cls in ((401, AuthenticationError), (404, NotFoundError)):
            self.stub.default = (status, {}, {'status': status, 'code': 'X', 'title': 't'})
            with self.assertRaises(cls):
                self.client.get_run('r-1')

    def test_429_is_retried_after_retry_after(self) -> None:
        waits = []
        self.client._http._sleep = waits.append
        self.stub.script = [(429, {'Retry-After': '2'}, {'status': 429, 'code': 'RATE_LIMITED'})]
        self.stub.default = (200, {}, {'id': 'r-1', 'status': 'running'})
        self.assertEqual(self.client.get_run('r-1')['id'], 'r-1')
        self.assertEqual(waits, [2.0])
        self.assertEqual(len(self.stub.requests), 2)

    def test_503_on_a_get_is_retried_with_backoff_then_raised(self) -> None:
        waits = []
        self.client._http._sleep = waits.append
        self.stub.default = (503, {}, {'status': 503, 'code': 'UNAVAILABLE', 'title': 'Service Unavailable'})
        with self.assertRaises(UnavailableError) as caught:
            self.client.get_run('r-1')
        self.assertEqual(caught.exception.code, 'UNAVAILABLE')
        self.assertEqual(len(self.stub.requests), 4)  # the call and three retries
        self.assertEqual(len(waits), 3)

    def test_a_post_without_idempotency_key_is_not_retried_on_503(self) -> None:
        self.stub.default = (503, {}, {'status': 503, 'code': 'UNAVAILABLE'})
        with self.assertRaises(UnavailableError):
            self.client.register_agent(name='a', type='worker')
        self.assertEqual(len(self.stub.requests), 1)

    def test_submit_task_is_retried_on_503_with_the_same_idempotency_key(self) -> None:
        self.client._http._sleep = lambda _: None
        self.stub.script = [(503, {}, {'status': 503})]
        self.stub.default = (202, {}, {'task_id': 't-1', 'status': 'pending'})
        answer = self.client.submit_task(
            agent_id='data-processing-agent',
            input={'dataset': 'large-dataset.csv'},
            callback_url='https://api.example.com/callback',
        )
        self.assertEqual(answer['task_id'], 't-1')
        first, second = self.stub.requests
        self.assertEqual(first.path, '/v1/agents/data-processing-agent/tasks')
        self.assertEqual(first.headers['idempotency-key'], second.headers['idempotency-key'])
        self.assertEqual(first.json()['callback_url'], 'https://api.example.com/callback')

    def test_429_beyond_the_retries_raises_with_retry_after(self) -> None:
        self.client._http._sleep = lambda _: None
        self.stub.default = (429, {'Retry-After': '1'}, {'status': 429, 'code': 'RATE_LIMITED'})
        with self.assertRaises(RateLimitedError) as caught:
            self.client.list_agents()
        self.assertEqual(caught.exception.retry_after, 1.0)

    def test_invoke_agent_sends_the_timeout_in_ms_and_waits_a_little_longer(self) -> None:
        def slow(request, handler):
            return (200, {}, {'output': {'label': 'billing'}})

        self.stub.default = slow
        answer = self.client.invoke_agent(
            agent_id='classification-agent', input={'text': 'Customer inquiry text'}, timeout=5000
        )
        self.assertEqual(answer['output'], {'label': 'billing'})
        self.assertEqual(self.stub.requests[0].json(), {'input': {'text': 'Customer inquiry text'}, 'timeout': 5000})

    def test_a_silent_server_is_a_timeout(self) -> None:
        import threading

        release = threading.Event()
        self.addCleanup(release.set)

        def hang(request, handler):
            release.wait(5)
            return (200, {}, {})

        self.stub.default = hang
        client = OrchestratePlatform(api_key='k', endpoint=self.stub.url, timeout=200)
        with self.assertRaises(TimeoutError):
            client.get_agent('a')

    def test_create_workflow_from_yaml_text_and_from_a_dict(self) -> None:
        self.stub.default = (201, {}, {'name': 'w', 'version': 1})
        self.client.create_workflow('workflow:\n  name: w\n  steps: []\n')
        self.client.create_workflow({'name': 'w', 'steps': [{'name': 's', 'agent': 'a'}]})
        self.client.create_workflow({'workflow': {'name': 'w', 'steps': [{'name': 's', 'agent': 'a'}]}})
        yaml_request, inner, outer = self.stub.requests
        self.assertEqual(yaml_request.headers['content-type'], 'application/yaml')
        self.assertEqual(yaml_request.body.decode(), 'workflow:\n  name: w\n  steps: []\n')
        self.assertEqual(inner.json(), outer.json())
        self.assertEqual(inner.json()['workflow']['name'], 'w')

    def test_create_workflow_without_steps_is_a_draft_whose_settings_later_steps_get(self) -> None:
        draft = self.client.create_workflow(
            name='order-processing',
            retry_policy={'max_attempts': 3, 'backoff': 'exponential', 'initial_delay': 1000},
            error_handlers={'timeout': 'notify-admin'},
        )
        self.assertIsInstance(draft, WorkflowDraft)
        self.assertEqual(self.stub.requests, [])  # nothing sent yet
        self.assertEqual(draft.retry_policy['max_attempts'], 3)
        self.stub.default = (201, {}, {'name': 'order-processing', 'version': 1})
        draft.add_step(name='validate', agent='validation-agent').publish()
        sent = self.stub.requests[0].json()['workflow']
        self.assertEqual(sent['retry_policy']['backoff'], 'exponential')
        self.assertEqual(sent['steps'], [{'name': 'validate', 'agent': 'validation-agent'}])
        # A later create_workflow with the same name and steps inherits the draft's settings.
        self.client.create_workflow(name='order-processing', steps=[{'name': 'v2', 'agent': 'a'}])
        again = self.stub.requests[1].json()['workflow']
        self.assertEqual(again['error_handlers'], {'timeout': 'notify-admin'})
        self.assertEqual(again['steps'], [{'name': 'v2', 'agent': 'a'}])

    def test_create_alert_sends_the_alerts_api_body(self) -> None:
        self.stub.default = (201, {}, {'id': 'al-1', 'name': 'high-error-rate'})
        self.client.create_alert(
            name='high-error-rate',
            condition='error_rate > 0.05',
            notification_channels=['email', 'slack'],
            severity='critical',
        )
        self.client.create_alert(
            name='slow', condition='p95_latency_ms > 500', notification_channels=['email'],
            severity='warning', for_='5m', scope={'agent': 'a'},
        )
        first, second = self.stub.requests
        self.assertEqual((first.method, first.path), ('POST', '/v1/alerts'))
        self.assertEqual(
            first.json(),
            {
                'name': 'high-error-rate',
                'condition': 'error_rate > 0.05',
                'notification_channels': ['email', 'slack'],
                'severity': 'critical',
            },
        )
        self.assertEqual(second.json()['for'], '5m')
        self.assertEqual(second.json()['scope'], {'agent': 'a'})

    def test_replay_list_events_and_connections_build_the_api_bodies(self) -> None:
        self.stub.default = (202, {}, {'id': 'rp-1'})
        self.client.replay(types=['order.*'], since='2026-01-01T00:00:00Z', topic='orders.replayed')
        self.stub.default = (200, {}, {'items': [], 'next_cursor': None})
        self.client.list_events(type='order.*', since='2026-01-01T00:00:00Z', limit=10)
        self.stub.default = (201, {}, {'name': 'crm'})
        self.client.create_connection(name='crm', connector='http', config={'base_url': 'https://x'})
        replay, listing, connection = self.stub.requests
        self.assertEqual(
            replay.json(),
            {'filter': {'types': ['order.*'], 'from': '2026-01-01T00:00:00Z'}, 'target': {'topic': 'orders.replayed'}},
        )
        self.assertIn('idempotency-key', replay.headers)
        self.assertEqual(listing.path, '/v1/events?type=order.%2A&from=2026-01-01T00%3A00%3A00Z&limit=10')
        self.assertEqual(connection.json(), {'name': 'crm', 'connector': 'http', 'config': {'base_url': 'https://x'}})

    def test_wait_for_run_polls_until_the_run_ends(self) -> None:
        self.stub.script = [(200, {}, {'id': 'r', 'status': 'running'})]
        self.stub.default = (200, {}, {'id': 'r', 'status': 'completed', 'output': {'ok': True}})
        run = self.client.wait_for_run('r', timeout=5000, poll_interval=10)
        self.assertEqual(run['output'], {'ok': True})

    def test_wait_for_run_gives_up_after_its_timeout(self) -> None:
        self.stub.default = (200, {}, {'id': 'r', 'status': 'running'})
        with self.assertRaises(TimeoutError):
            self.client.wait_for_run('r', timeout=50, poll_interval=10)

    def test_bad_configuration_is_refused_at_once(self) -> None:
        with self.assertRaises(ValueError):
            OrchestratePlatform(api_key='k', endpoint=None)
        with self.assertRaises(ValueError):
            OrchestratePlatform(api_key=None, endpoint='http://127.0.0.1:1')
        with self.assertRaises(ValueError):
            OrchestratePlatform(api_key='k', endpoint='ftp://x')


class RetryAfterTest(unittest.TestCase):
    def test_seconds_and_http_dates(self) -> None:
        self.assertEqual(retry_after_seconds('3'), 3.0)
        self.assertEqual(retry_after_seconds('Wed, 21 Oct 2015 07:28:10 GMT', now=1445412480.0), 10.0)
        self.assertIsNone(retry_after_seconds('soon'))
        self.assertIsNone(retry_after_seconds(None))


class LoggerTest(unittest.TestCase):
    def test_writes_one_json_object_per_line_with_the_fields(self) -> None:
        out = io.StringIO()
        logger = StructuredLogger({'workspace_id': 'acme'}, stream=out)
        logger.info('Agent invoked', agent_id='customer-service-agent', request_id='req-12345', user_id='user-67890')
        record = json.loads(out.getvalue().splitlines()[0])
        self.assertEqual(record['msg'], 'Agent invoked')
        self.assertEqual(record['level'], 'info')
        self.assertEqual(record['agent_id'], 'customer-service-agent')
        self.assertEqual(record['workspace_id'], 'acme')
        self.assertRegex(record['time'], r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$')


if __name__ == '__main__':
    unittest.main()
