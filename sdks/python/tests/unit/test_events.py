import json
import threading
import time
import unittest

from orchestrate import AuthenticationError, OrchestratePlatform
from orchestrate.events import SseParser

from .stub_server import StubServer


def frame(cursor, type_, event_id):
    data = json.dumps({'id': event_id, 'type': type_, 'data': {'order': event_id}})
    return f'id: {cursor}\nevent: {type_}\ndata: {data}\n\n'


def stream(*frames, hold=None):
    """A responder that writes `frames` as a text/event-stream, then ends it (or waits for `hold`)."""

    def respond(request, handler):
        handler.send_response(200)
        handler.send_header('Content-Type', 'text/event-stream')
        handler.send_header('Connection', 'close')
        handler.end_headers()
        for text in frames:
            handler.wfile.write(text.encode('utf-8'))
            handler.wfile.flush()
        if hold is not None:
            hold.wait(5)
        handler.close_connection = True
        return None

    return respond


class SseParserTest(unittest.TestCase):
    def test_reads_events_comments_multiline_data_and_bare_ids(self) -> None:
        parser = SseParser()
        lines = ': keep-alive', '', 'id: 1-2', 'event: order.created', 'data: {"a":', 'data: 1}', '', 'id: 5-0', ''
        events = [event for event in (parser.feed(line) for line in lines) if event]
        self.assertEqual(len(events), 1)
        self.assertEqual((events[0].id, events[0].event, events[0].data), ('1-2', 'order.created', '{"a":\n1}'))
        # The bare `id:` moved the resume point without an event.
        self.assertEqual(parser.last_event_id, '5-0')


class SubscriptionTest(unittest.TestCase):
    def setUp(self) -> None:
        self.stub = StubServer().__enter__()
        self.addCleanup(self.stub.__exit__)
        self.client = OrchestratePlatform(api_key='k', endpoint=self.stub.url)
        self.release = threading.Event()
        self.addCleanup(self.release.set)

    def test_calls_the_handler_per_event_and_resumes_after_the_last_one(self) -> None:
        self.stub.script = [
            stream(': position\nid: 10-0\n\n', frame('11-1', 'order.created', 'e1'), frame('11-2', 'order.updated', 'e2')),
            stream(frame('12-1', 'order.created', 'e3'), hold=self.release),
        ]
        seen = []
        done = threading.Event()

        def handle_order_event(event):
            seen.append(event.id)
            if len(seen) == 3:
                done.set()

        subscription = self.client.subscribe(
            agent_id='notification-agent', events=['order.created', 'order.updated'], handler=handle_order_event
        )
        self.addCleanup(subscription.close)
        self.assertTrue(done.wait(10))
        self.assertEqual(seen, ['e1', 'e2', 'e3'])
        first, second = self.stub.requests[:2]
        self.assertEqual(first.path, '/v1/events/stream?type=order.created%2Corder.updated')
        self.assertNotIn('last-event-id', first.headers)
        self.assertEqual(second.headers['last-event-id'], '11-2')
        self.assertEqual(subscription.last_event_id, '12-1')

    def test_an_event_whose_handler_raised_comes_again(self) -> None:
        self.stub.script = [
            stream(frame('11-1', 'order.created', 'e1'), frame('11-2', 'order.created', 'e2')),
            stream(frame('11-2', 'order.created', 'e2'), hold=self.release),
        ]
        seen = []
        errors = []
        done = threading.Event()

        def flaky(event):
            seen.append(event.id)
            if seen == ['e1', 'e2']:
                raise RuntimeError('database down')
            if len(seen) == 3:
                done.set()

        subscription = self.client.subscribe(events=['order.*'], handler=flaky, on_error=errors.append)
        self.addCleanup(subscription.close)
        self.assertTrue(done.wait(10))
        self.assertEqual(seen, ['e1', 'e2', 'e2'])
        self.assertEqual(self.stub.requests[1].headers['last-event-id'], '11-1')
        self.assertIsInstance(errors[0], RuntimeError)

    def test_a_refused_key_ends_the_subscription_with_its_error(self) -> None:
        self.stub.default = (401, {}, {'status': 401, 'code': 'UNAUTHENTICATED', 'title': 'Unauthorized'})
        with self.assertRaises(AuthenticationError):
            self.client.subscribe(events=['order.created'], handler=lambda event: None, connect_timeout=5000)

    def test_close_stops_a_stream_that_is_waiting_for_events(self) -> None:
        self.stub.default = stream(': position\nid: 1-0\n\n', hold=self.release)
        subscription = self.client.subscribe(events=['x'], handler=lambda event: None)
        deadline = time.monotonic() + 5
        while subscription.last_event_id is None and time.monotonic() < deadline:
            time.sleep(0.01)  # the announced position arrives just after the stream opens
        subscription.close()
        self.assertTrue(subscription.closed)
        self.assertFalse(subscription._thread.is_alive())
        self.assertEqual(subscription.last_event_id, '1-0')

    def test_without_a_handler_it_creates_a_durable_agent_subscription(self) -> None:
        self.stub.default = (201, {}, {'id': 'sub-1'})
        self.client.subscribe(agent_id='notification-agent', events=['order.created'])
        request = self.stub.requests[0]
        self.assertEqual((request.method, request.path), ('POST', '/v1/subscriptions'))
        self.assertEqual(request.json(), {'agent': 'notification-agent', 'events': ['order.created']})


if __name__ == '__main__':
    unittest.main()
