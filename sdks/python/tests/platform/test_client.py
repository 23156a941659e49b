"""The client's calls beyond the seed, against a running Baton."""

from __future__ import annotations

import http.client
import os
import unittest
import uuid
from urllib.parse import urlsplit

from orchestrate import (
    AuthenticationError,
    BadRequestError,
    NotFoundError,
    OrchestratePlatform,
    Subscription,
)

from .support import Collector, platform, unique, wait_until_served_by_agent_manager


class WorkflowRunsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.client = platform()
        cls.agent = unique('py-rules')
        cls.client.register_agent(
            name=cls.agent, type='rules', runtime='rules',
            config={'rules': [], 'default': {'answer': 42}},
        )
        wait_until_served_by_agent_manager(cls.client, cls.agent)

    def test_start_run_then_wait_for_run_answers_the_finished_run(self) -> None:
        name = unique('py-flow')
        created = self.client.create_workflow(
            f'workflow:\n  name: {name}\n  steps:\n    - name: ask\n      agent: {self.agent}\n'
        )
        self.assertEqual(created['name'], name)
        run = self.client.start_run(name, {'question': 'life'})
        finished = self.client.wait_for_run(run['id'], timeout=30_000)
        self.assertEqual(finished['status'], 'completed')
        self.assertEqual(self.client.get_run(run['id'])['id'], run['id'])

    def test_create_workflow_takes_a_dict(self) -> None:
        name = unique('py-dict')
        created = self.client.create_workflow({'name': name, 'steps': [{'name': 'ask', 'agent': self.agent}]})
        self.assertEqual(created['name'], name)

    def test_a_bad_workflow_is_a_bad_request_naming_the_field(self) -> None:
        with self.assertRaises(BadRequestError) as caught:
            self.client.create_workflow({'name': unique('py-bad'), 'steps': []})
        self.assertIn(caught.exception.status, (400, 422))
        self.assertTrue(caught.exception.code)
        self.assertTrue(any('steps' in e['field'] for e in caught.exception.errors), caught.exception.errors)


class ErrorsTest(unittest.TestCase):
    def test_a_wrong_key_is_an_authentication_error(self) -> None:
        client = OrchestratePlatform(api_key='bk_wrong', endpoint=os.environ['ORCHESTRATE_ENDPOINT'], max_retries=0)
        with self.assertRaises(AuthenticationError) as caught:
            client.list_agents()
        self.assertEqual(caught.exception.status, 401)

    def test_an_unknown_run_is_not_found(self) -> None:
        with self.assertRaises(NotFoundError) as caught:
            platform().get_run(str(uuid.uuid4()))
        self.assertEqual(caught.exception.status, 404)

    def test_a_bad_agent_name_names_the_field(self) -> None:
        with self.assertRaises(BadRequestError) as caught:
            platform().register_agent(name='Not A Name', type='worker')
        self.assertEqual([e['field'] for e in caught.exception.errors], ['name'])


class EventsTest(unittest.TestCase):
    def setUp(self) -> None:
        self.client = platform()

    def subscribe(self, collector: Collector, **options) -> Subscription:
        subscription = self.client.subscribe(handler=collector, **options)
        self.addCleanup(subscription.close)
        return subscription

    def test_list_events_finds_a_published_event(self) -> None:
        subject = uuid.uuid4().hex
        published = self.client.publish_event('py.listed', {'n': 1}, subject=subject)
        from .support import eventually

        page = eventually(lambda: self.client.list_events(subject=subject)['items'], what='the stored event')
        self.assertEqual(page[0]['id'], published['id'])
        self.assertEqual([e.id for e in self.client.iter_events(subject=subject)], [published['id']])

    def test_patterns_select_types_and_a_resumed_subscription_misses_nothing(self) -> None:
        subject = uuid.uuid4().hex
        first = Collector()
        subscription = self.subscribe(first, events=['py.order.*'], subject=subject)
        self.client.publish_event('py.order.created', {'n': 1}, subject=subject)
        self.client.publish_event('py.other', {'n': 2}, subject=subject)
        first.wait_for(1)
        subscription.close()
        resume_from = subscription.last_event_id
        self.assertEqual(resume_from.split('-')[0].isdigit(), True)
        # Published while nobody listens: a subscription resuming from the last id gets them.
        for n in (3, 4):
            self.client.publish_event('py.order.updated', {'n': n}, subject=subject)
        second = Collector()
        self.subscribe(second, events=['py.order.*'], subject=subject, last_event_id=resume_from)
        resumed = second.wait_for(2)
        self.assertEqual([e.data['n'] for e in resumed], [3, 4])
        self.assertEqual([e.data['n'] for e in first.events], [1])

    def test_the_stream_refuses_a_cursor_it_did_not_hand_out(self) -> None:
        parts = urlsplit(os.environ['ORCHESTRATE_ENDPOINT'])
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        connection.request('GET', '/v1/events/stream', headers={
            'Authorization': f"Bearer {os.environ['ORCHESTRATE_API_KEY']}", 'Last-Event-ID': 'not-a-cursor'})
        response = connection.getresponse()
        body = response.read().decode()
        connection.close()
        self.assertEqual(response.status, 422)
        self.assertEqual(response.getheader('content-type').split(';')[0], 'application/problem+json')
        self.assertIn('Last-Event-ID', body)

    def test_replay_of_a_dry_run_answers_the_replay(self) -> None:
        replay = self.client.replay(types=['py.order.*'], topic='py-replayed-orders', dry_run=True)
        self.assertTrue(replay['id'])
        self.assertEqual(self.client.get_replay(replay['id'])['id'], replay['id'])


class ConnectionsTest(unittest.TestCase):
    def test_create_connection_answers_it_without_secrets(self) -> None:
        name = unique('py-conn')
        connection = platform().create_connection(
            name=name, connector='webhook', config={'url': 'https://hooks.example.com/in'},
        )
        self.assertEqual(connection['name'], name)
        self.assertNotIn('secrets', connection)


if __name__ == '__main__':
    unittest.main()
