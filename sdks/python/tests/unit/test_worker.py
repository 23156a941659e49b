import threading
import time
import unittest

from orchestrate import AgentWorker, OrchestratePlatform, TaskFailed

from .stub_server import StubServer

TASK = {'task_id': '0b9e1c52-1d7c-4f0e-9a59-0d0f5f0c1a11', 'agent': 'summarizer', 'input': {'text': 'hi'},
        'claim_token': 'tok-1', 'lease_expires_at': '2026-12-07T00:00:30Z', 'deadline': '2026-12-07T00:01:00Z'}


class AgentWorkerTest(unittest.TestCase):
    def setUp(self) -> None:
        self.stub = StubServer().__enter__()
        self.addCleanup(self.stub.__exit__)
        self.client = OrchestratePlatform(api_key='k', endpoint=self.stub.url)
        self.reported = threading.Event()

        def answer(request, handler):
            if request.path.endswith('/claim'):
                claimed = any(r.path.endswith('/claim') for r in self.stub.requests[:-1])
                return (204, {}, b'') if claimed else (200, {}, dict(TASK))
            if request.path.endswith('/lease'):
                return (200, {}, {'task_id': TASK['task_id'], 'lease_expires_at': TASK['deadline'],
                                  'deadline': TASK['deadline']})
            self.reported.set()
            return (200, {}, {'accepted': True})

        self.stub.default = answer

    def run_worker(self, handler, lease_ms: int = 5000) -> dict:
        worker = AgentWorker(self.client, agent='summarizer', handler=handler, wait_ms=50, lease_ms=lease_ms)
        worker.start()
        self.assertTrue(self.reported.wait(10))
        worker.stop()
        claim = self.stub.requests[0]
        self.assertEqual(claim.path, '/v1/agents/summarizer/tasks/claim')
        self.assertEqual(claim.json()['lease_ms'], lease_ms)
        report = next(r for r in self.stub.requests if r.path.endswith('/result'))
        self.assertEqual(report.path, f"/v1/agents/summarizer/tasks/{TASK['task_id']}/result")
        return report.json()

    def test_posts_the_handlers_output_with_the_claim_token(self) -> None:
        body = self.run_worker(lambda task_input: {'summary': task_input['text'].upper()})
        self.assertEqual(body, {'claim_token': 'tok-1', 'output': {'summary': 'HI'}})

    def test_a_handler_error_fails_the_task_with_its_type(self) -> None:
        def refuse(_):
            raise TaskFailed('text is empty', type='validation_error')

        body = self.run_worker(refuse)
        self.assertEqual(body['error'], {'type': 'validation_error', 'message': 'text is empty'})

    def test_an_unexpected_exception_is_a_system_error(self) -> None:
        body = self.run_worker(lambda _: 1 / 0)
        self.assertEqual(body['error']['type'], 'system_error')
        self.assertIn('ZeroDivisionError', body['error']['message'])

    def test_the_lease_is_renewed_while_the_handler_runs_and_not_after(self) -> None:
        def slow(task_input):
            time.sleep(1.0)
            return {'done': True}

        body = self.run_worker(slow, lease_ms=1000)
        self.assertEqual(body['output'], {'done': True})
        renewals = [r for r in self.stub.requests if r.path.endswith('/lease')]
        # Every third of the lease during a 1 s handler: two or three renewals, none after the result.
        self.assertGreaterEqual(len(renewals), 2)
        self.assertEqual(renewals[0].path, f"/v1/agents/summarizer/tasks/{TASK['task_id']}/lease")
        self.assertEqual(renewals[0].json(), {'claim_token': 'tok-1', 'lease_ms': 1000})
        report_at = next(i for i, r in enumerate(self.stub.requests) if r.path.endswith('/result'))
        self.assertFalse(any(r.path.endswith('/lease') for r in self.stub.requests[report_at:]))

    def test_a_refused_agent_stops_the_worker(self) -> None:
        self.stub.default = (409, {}, {'status': 409, 'code': 'AGENT.NOT_PULL', 'category': 'RESOURCE.CONFLICT', 'detail': 'runtime worker'})
        worker = AgentWorker(self.client, agent='summarizer', handler=lambda _: None, wait_ms=50).start()
        deadline = time.monotonic() + 5
        while any(t.is_alive() for t in worker._threads) and time.monotonic() < deadline:
            time.sleep(0.02)
        self.assertFalse(any(t.is_alive() for t in worker._threads))


if __name__ == '__main__':
    unittest.main()
