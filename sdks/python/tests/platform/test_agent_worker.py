"""AgentWorker serves a `pull` agent over HTTP: invoke, workflow steps, and a crashed worker's task."""

from __future__ import annotations

import threading
import time
import unittest

from orchestrate import AgentWorker, ConflictError, NotFoundError, TaskFailed
from orchestrate.errors import ServerError

from .support import eventually, platform, unique, wait_until_served_by_agent_manager


class AgentWorkerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.client = platform()
        cls.agent = unique('py-pull')
        cls.client.register_agent(name=cls.agent, type='worker', runtime='pull')
        wait_until_served_by_agent_manager(cls.client, cls.agent)

    def serve(self, handler, **options) -> AgentWorker:
        worker = AgentWorker(self.client, agent=self.agent, handler=handler, wait_ms=1000, **options).start()
        self.addCleanup(worker.stop)
        return worker

    def test_invoke_agent_is_answered_by_the_python_worker(self) -> None:
        self.serve(lambda task_input: {'echo': task_input['text'], 'by': 'python'})
        answer = self.client.invoke_agent(agent_id=self.agent, input={'text': 'hello'}, timeout=20_000)
        self.assertEqual(answer['output'], {'echo': 'hello', 'by': 'python'})

    def test_a_workflow_step_runs_on_the_python_worker(self) -> None:
        self.serve(lambda task_input: {'doubled': task_input['n'] * 2})
        name = unique('py-pull-flow')
        self.client.create_workflow({'name': name, 'steps': [
            {'name': 'double', 'agent': self.agent, 'input': {'n': '${input.n}'}}]})
        run = self.client.wait_for_run(self.client.start_run(name, {'n': 21})['id'], timeout=30_000)
        self.assertEqual(run['status'], 'completed', run)

    def test_a_failure_the_handler_raises_fails_the_invocation(self) -> None:
        def refuse(_):
            raise TaskFailed('no text', type='validation_error')

        self.serve(refuse)
        with self.assertRaises(ServerError) as caught:
            self.client.invoke_agent(agent_id=self.agent, input={}, timeout=20_000)
        self.assertIn('no text', str(caught.exception))

    def test_a_task_claimed_by_a_crashed_worker_goes_to_the_next_one(self) -> None:
        task = self.client.submit_task(agent_id=self.agent, input={'n': 1})
        # A worker claims it with a 2 s lease, then dies without answering.
        crashed = eventually(lambda: self.client._http.send(
            'POST', f'/v1/agents/{self.agent}/tasks/claim',
            body={'worker_id': 'crashed', 'lease_ms': 2000, 'wait_ms': 1000}).body, 20, 'the first claim')
        self.assertEqual(crashed['task_id'], task['task_id'])
        worker = self.serve(lambda task_input: {'served': task_input['n']})
        done = eventually(lambda: self.client.get_task(task['task_id'])['status'] == 'completed', 30, 'the reclaim')
        self.assertTrue(done)
        self.assertEqual(self.client.get_task(task['task_id'])['output'], {'served': 1})
        self.assertGreaterEqual(worker.handled, 1)
        # The crashed worker's late answer is refused: the task kept the first result.
        with self.assertRaises((ConflictError, NotFoundError)) as late:
            self.client._http.request('POST', f"/v1/agents/{self.agent}/tasks/{task['task_id']}/result",
                                      body={'claim_token': crashed['claim_token'], 'output': {'late': True}})
        self.assertIn(late.exception.status, (404, 409))

    def test_a_slow_handler_keeps_its_task_by_renewing_the_lease(self) -> None:
        runs = []
        lock = threading.Lock()

        def slow(task_input):
            with lock:
                runs.append(task_input)
            # Three times the lease: without renewals the second worker would claim the task meanwhile.
            time.sleep(3.0)
            return {'slow': task_input['n']}

        first = self.serve(slow, lease_ms=1000)
        second = self.serve(slow, lease_ms=1000)
        task = self.client.submit_task(agent_id=self.agent, input={'n': 7})
        eventually(lambda: self.client.get_task(task['task_id'])['status'] == 'completed', 30, 'the slow task')
        self.assertEqual(self.client.get_task(task['task_id'])['output'], {'slow': 7})
        self.assertEqual(runs, [{'n': 7}])
        # The worker counts once the platform accepted the result, a moment after the task completed.
        eventually(lambda: first.handled + second.handled == 1, 10, 'the worker counting its result')
        self.assertEqual(first.handled + second.handled, 1)


if __name__ == '__main__':
    unittest.main()
