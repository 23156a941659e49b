"""Shared set-up for the tests that run against a running Baton (ORCHESTRATE_ENDPOINT, ORCHESTRATE_API_KEY)."""

from __future__ import annotations

import os
import threading
import time
import uuid
from typing import Any, Callable, List, Optional

from orchestrate import OrchestratePlatform


def platform() -> OrchestratePlatform:
    endpoint = os.environ.get('ORCHESTRATE_ENDPOINT')
    api_key = os.environ.get('ORCHESTRATE_API_KEY')
    if not endpoint or not api_key:
        raise RuntimeError('set ORCHESTRATE_ENDPOINT and ORCHESTRATE_API_KEY to run the platform tests')
    return OrchestratePlatform(api_key=api_key, endpoint=endpoint, workspace_id=os.environ.get('ORCHESTRATE_WORKSPACE_ID'))


def unique(prefix: str) -> str:
    return f'{prefix}-{uuid.uuid4().hex[:8]}'


def eventually(check: Callable[[], Any], timeout: float = 30.0, what: str = 'the condition') -> Any:
    """Calls `check` until it answers something truthy; fails after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(0.2)
    raise AssertionError(f'{what} did not happen within {timeout} s (last: {last!r})')


def wait_until_served_by_agent_manager(client: OrchestratePlatform, agent: str) -> None:
    """A rules agent answers once agent-manager serves its task topic (it shows as an instance)."""

    def serving() -> bool:
        instances = client._http.request('GET', f'/v1/agents/{agent}/instances')['items']
        return any(
            i['instance_id'].startswith('agent-manager') and i['health'] == 'healthy' for i in instances
        )

    eventually(serving, 60, f'agent-manager serving {agent}')


class Collector:
    """A handler that records events, and lets a test wait for a number of them."""

    def __init__(self) -> None:
        self.events: List[Any] = []
        self._changed = threading.Condition()

    def __call__(self, event: Any) -> None:
        with self._changed:
            self.events.append(event)
            self._changed.notify_all()

    def wait_for(self, count: int, timeout: float = 30.0, where: Optional[Callable[[Any], bool]] = None) -> List[Any]:
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                matching = [e for e in self.events if where is None or where(e)]
                if len(matching) >= count:
                    return matching
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f'{len(matching)} of {count} events within {timeout} s')
                self._changed.wait(left)
