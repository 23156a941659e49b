"""AgentWorker: serves a `pull` agent's tasks over HTTP (no Kafka client).

    worker = AgentWorker(orchestrate, agent='summarizer', handler=summarize)
    worker.run_forever()            # or worker.start() ... worker.stop()

Each worker thread claims the next task (`POST /v1/agents/{name}/tasks/claim`,
a long poll), calls ``handler(input)`` and posts what it returns (or the error
it raised) to ``/v1/agents/{name}/tasks/{id}/result``. A claim is a lease: if
no result comes within ``lease_ms`` (the worker crashed, hung or lost the
network) the task goes to the next claim, so delivery is at least once and a
handler should be idempotent. While the handler runs, the worker renews the
lease every third of ``lease_ms`` (``POST /v1/agents/{name}/tasks/{id}/lease``),
so a long handler keeps its task; only the task's deadline bounds it.
"""

from __future__ import annotations

import os
import socket
import threading
from typing import Any, Callable, Dict, List, Optional

from . import errors
from ._http import backoff_seconds
from .logger import StructuredLogger
from .platform import OrchestratePlatform


class TaskFailed(Exception):
    """Raise from a handler to fail the task with a type the engine's error handlers match."""

    def __init__(self, message: str, type: str = 'system_error') -> None:  # noqa: A002
        if type not in ('timeout', 'validation_error', 'system_error'):
            raise ValueError("type must be 'timeout', 'validation_error' or 'system_error'")
        super().__init__(message)
        self.type = type


class AgentWorker:
    def __init__(
        self,
        platform: OrchestratePlatform,
        *,
        agent: str,
        handler: Callable[[Any], Any],
        concurrency: int = 1,
        lease_ms: int = 30_000,
        wait_ms: int = 20_000,
        worker_id: Optional[str] = None,
        logger: Optional[StructuredLogger] = None,
    ) -> None:
        if not callable(handler):
            raise TypeError('handler must be callable: handler(input) -> output')
        if concurrency < 1:
            raise ValueError('concurrency must be at least 1')
        self.agent = agent
        self.handler = handler
        self.concurrency = concurrency
        self.lease_ms = lease_ms
        self.wait_ms = wait_ms
        self.worker_id = worker_id or f'{socket.gethostname()}-{os.getpid()}'
        self.logger = (logger or platform.logger).child(agent=agent, worker_id=self.worker_id)
        self.handled = 0
        self.failed = 0
        self._http = platform._http
        self._stopping = threading.Event()
        self._threads: List[threading.Thread] = []
        self._count = threading.Lock()

    def start(self) -> 'AgentWorker':
        for index in range(self.concurrency):
            thread = threading.Thread(target=self._loop, name=f'agent-worker-{self.agent}-{index}', daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self, timeout: float = 30.0) -> None:
        """Takes no new task; waits up to `timeout` s for the handlers running now."""
        self._stopping.set()
        for thread in self._threads:
            thread.join(timeout)

    def run_forever(self) -> None:
        self.start()
        try:
            while any(thread.is_alive() for thread in self._threads):
                for thread in self._threads:
                    thread.join(1.0)
        except KeyboardInterrupt:
            self.stop()

    def __enter__(self) -> 'AgentWorker':
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    def _loop(self) -> None:
        failures = 0
        while not self._stopping.is_set():
            try:
                task = self._claim()
                failures = 0
            except (errors.AuthenticationError, errors.PermissionDeniedError, errors.NotFoundError,
                    errors.ConflictError, errors.BadRequestError) as error:
                self.logger.error('cannot serve this agent; the worker stops', error=str(error))
                self._stopping.set()
                return
            except errors.OrchestrateError as error:
                self.logger.warning('claiming a task failed; retrying', error=str(error))
                self._stopping.wait(backoff_seconds(failures, 0.5, 10.0))
                failures += 1
                continue
            if task is not None:
                self._serve(task)

    def _claim(self) -> Optional[Dict[str, Any]]:
        response = self._http.send(
            'POST',
            f'/v1/agents/{self.agent}/tasks/claim',
            body={'worker_id': self.worker_id, 'lease_ms': self.lease_ms,
                  'wait_ms': 0 if self._stopping.is_set() else self.wait_ms},
            timeout=self.wait_ms / 1000 + 10,
        )
        # 204: no task came within wait_ms.
        return response.body if response.status != 204 and isinstance(response.body, dict) else None

    def _renew_while(self, task: Dict[str, Any], done: threading.Event) -> None:
        """Renews the claim until `done`; stops when the platform refuses it (the lease ran out first)."""
        interval = max(self.lease_ms / 3000.0, 0.2)
        while not done.wait(interval):
            try:
                self._http.request(
                    'POST',
                    f"/v1/agents/{self.agent}/tasks/{task['task_id']}/lease",
                    body={'claim_token': task['claim_token'], 'lease_ms': self.lease_ms},
                )
            except (errors.ConflictError, errors.NotFoundError) as error:
                self.logger.warning('lease not renewed; the task was handed on or finished',
                                    task_id=task['task_id'], error=str(error))
                return
            except errors.OrchestrateError as error:
                # A passing outage: the next renewal may still come before the lease ends.
                self.logger.warning('renewing the lease failed; retrying', task_id=task['task_id'], error=str(error))

    def _serve(self, task: Dict[str, Any]) -> None:
        done = threading.Event()
        renewer = threading.Thread(target=self._renew_while, args=(task, done),
                                   name=f"lease-{task['task_id']}", daemon=True)
        renewer.start()
        try:
            outcome: Dict[str, Any] = {'output': self.handler(task.get('input'))}
            counter = 'handled'
        except TaskFailed as failure:
            outcome = {'error': {'type': failure.type, 'message': str(failure)[:4000]}}
            counter = 'failed'
        except Exception as error:  # noqa: BLE001 - any handler error fails the task, not the worker
            outcome = {'error': {'type': 'system_error', 'message': f'{type(error).__name__}: {error}'[:4000]}}
            counter = 'failed'
            self.logger.warning('handler raised', task_id=task['task_id'], error=str(error))
        finally:
            done.set()
            renewer.join()
        try:
            self._http.request(
                'POST',
                f"/v1/agents/{self.agent}/tasks/{task['task_id']}/result",
                body={'claim_token': task['claim_token'], **outcome},
                # Reporting twice is harmless (the second is refused), so a 503 may be retried.
                headers={'Idempotency-Key': task['claim_token']},
            )
        except (errors.ConflictError, errors.NotFoundError) as error:
            # The lease ran out first: the task went to another claim, which answers it.
            self.logger.warning('result refused; the task was handed on', task_id=task['task_id'], error=str(error))
            return
        except errors.OrchestrateError as error:
            self.logger.error('result not delivered; the lease will hand the task on',
                              task_id=task['task_id'], error=str(error))
            return
        with self._count:
            setattr(self, counter, getattr(self, counter) + 1)
