"""OrchestratePlatform: the seed's Python calls over Baton's HTTP API."""

from __future__ import annotations

import time
import uuid
from typing import Any, Callable, Dict, Iterable, Iterator, List, Mapping, Optional, Union
from urllib.parse import quote

from . import errors
from ._http import HttpClient
from .events import Event, Subscription
from .logger import StructuredLogger
from .workflows import WorkflowDraft

# Every status a run can have: `queued` waits for its workspace's admission (ADR 0041).
RUN_STATUSES = ('queued', 'running', 'paused', 'completed', 'failed', 'cancelled')
TERMINAL_RUN_STATUSES = ('completed', 'failed', 'cancelled')


def _segment(value: str) -> str:
    return quote(str(value), safe='')


def _without_none(fields: Mapping[str, Any]) -> Dict[str, Any]:
    return {key: value for key, value in fields.items() if value is not None}


class OrchestratePlatform:
    """The client. Every ``timeout`` is in milliseconds, as in the seed's ``invoke_agent(..., timeout=5000)``.

    >>> orchestrate = OrchestratePlatform(api_key=os.getenv('ORCHESTRATE_API_KEY'),
    ...                                   endpoint=os.getenv('ORCHESTRATE_ENDPOINT'))
    """

    def __init__(
        self,
        api_key: Optional[str] = None,
        endpoint: Optional[str] = None,
        workspace_id: Optional[str] = None,
        *,
        timeout: int = 30_000,
        max_retries: int = 3,
    ) -> None:
        self._http = HttpClient(
            endpoint or '',
            api_key or '',
            workspace_id=workspace_id,
            timeout=timeout / 1000,
            max_retries=max_retries,
        )
        self.workspace_id = workspace_id
        self.logger = StructuredLogger({'workspace_id': workspace_id or 'default'})
        self._drafts: Dict[str, WorkflowDraft] = {}

    # -- agents ---------------------------------------------------------------

    def register_agent(
        self,
        name: str,
        type: str,  # noqa: A002 - the seed's keyword
        capabilities: Optional[List[str]] = None,
        max_instances: Optional[int] = None,
        *,
        min_instances: Optional[int] = None,
        runtime: Optional[str] = None,
        description: Optional[str] = None,
        config: Optional[Dict[str, Any]] = None,
        input_schema: Optional[Dict[str, Any]] = None,
        output_schema: Optional[Dict[str, Any]] = None,
    ) -> Dict[str, Any]:
        """Registers an agent (runtime ``worker`` unless given: an AgentWorker serves its tasks)."""
        return self._http.request('POST', '/v1/agents', body=_without_none({
            'name': name, 'type': type, 'capabilities': capabilities, 'max_instances': max_instances,
            'min_instances': min_instances, 'runtime': runtime, 'description': description,
            'config': config, 'input_schema': input_schema, 'output_schema': output_schema,
        }))

    def get_agent(self, agent_id: str) -> Dict[str, Any]:
        return self._http.request('GET', f'/v1/agents/{_segment(agent_id)}')

    def list_agents(self, *, capability: Optional[str] = None, type: Optional[str] = None,  # noqa: A002
                    cursor: Optional[str] = None) -> Dict[str, Any]:
        return self._http.request('GET', '/v1/agents', query={'capability': capability, 'type': type, 'cursor': cursor})

    def invoke_agent(self, agent_id: str, input: Any = None, timeout: int = 30_000) -> Dict[str, Any]:  # noqa: A002
        """Request-response: waits up to `timeout` ms for the agent's answer (504 ServerError after)."""
        return self._http.request(
            'POST',
            f'/v1/agents/{_segment(agent_id)}/invoke',
            body=_without_none({'input': input, 'timeout': timeout}),
            # The gateway answers 504 at `timeout`; the socket waits a little longer for that answer.
            timeout=timeout / 1000 + 10,
        )

    def submit_task(
        self,
        agent_id: str,
        input: Any = None,  # noqa: A002
        callback_url: Optional[str] = None,
        *,
        idempotency_key: Optional[str] = None,
    ) -> Dict[str, Any]:
        """Fire-and-forget: answers ``{'task_id', 'status'}`` at once; the result is POSTed to callback_url."""
        return self._http.request(
            'POST',
            f'/v1/agents/{_segment(agent_id)}/tasks',
            body=_without_none({'input': input, 'callback_url': callback_url}),
            # A retried submit (after a 503) must not run the task twice.
            headers={'Idempotency-Key': idempotency_key or str(uuid.uuid4())},
        )

    def get_task(self, task_id: str) -> Dict[str, Any]:
        return self._http.request('GET', f'/v1/tasks/{_segment(task_id)}')

    # -- workflows and runs ---------------------------------------------------

    def create_workflow(
        self, document: Union[str, Mapping[str, Any], None] = None, *, name: Optional[str] = None, **fields: Any
    ) -> Any:
        """Creates a workflow (or its next version) from YAML text, a dict, or keyword arguments.

        ``create_workflow(yaml_text)``; ``create_workflow({'workflow': {...}})`` or the inner dict;
        ``create_workflow(name=..., steps=[...], retry_policy=...)``. Without steps,
        ``create_workflow(name=..., retry_policy=..., error_handlers=...)`` answers a
        :class:`WorkflowDraft` whose settings the workflow gets once it has steps.
        """
        if document is not None:
            if name is not None or fields:
                raise TypeError('create_workflow takes a document or keyword arguments, not both')
            if isinstance(document, str):
                return self._http.request('POST', '/v1/workflows', body=document, content_type='application/yaml')
            if not isinstance(document, Mapping):
                raise TypeError('create_workflow(document): YAML text or a dict')
            body = dict(document) if 'workflow' in document else {'workflow': dict(document)}
            return self._http.request('POST', '/v1/workflows', body=body)
        if not name:
            raise TypeError('create_workflow needs YAML text, a dict, or name=...')
        draft = self._drafts.get(name)
        merged = {**(draft.fields if draft else {}), **fields}
        if not merged.get('steps'):
            merged.pop('steps', None)
            self._drafts[name] = WorkflowDraft(self, name, merged)
            return self._drafts[name]
        workflow = self._http.request('POST', '/v1/workflows', body={'workflow': {'name': name, **merged}})
        if draft is not None:
            draft.workflow = workflow
        return workflow

    def get_workflow(self, name: str) -> Dict[str, Any]:
        return self._http.request('GET', f'/v1/workflows/{_segment(name)}')

    def get_workflow_version(self, name: str, version: int) -> Dict[str, Any]:
        """One version of a workflow, with its ``source`` document."""
        return self._http.request('GET', f'/v1/workflows/{_segment(name)}/versions/{int(version)}')

    def start_run(
        self, workflow: str, input: Optional[Dict[str, Any]] = None, *, idempotency_key: Optional[str] = None  # noqa: A002
    ) -> Dict[str, Any]:
        """Starts a run of the workflow's active version; answers the run (``id``, ``status``...)."""
        return self._http.request(
            'POST',
            f'/v1/workflows/{_segment(workflow)}/runs',
            body={'input': input or {}},
            headers={'Idempotency-Key': idempotency_key or str(uuid.uuid4())},
        )

    def get_run(self, run_id: str) -> Dict[str, Any]:
        return self._http.request('GET', f'/v1/runs/{_segment(run_id)}')

    def list_runs(self, *, workflow: Optional[str] = None, status: Optional[str] = None,
                  limit: Optional[int] = None, cursor: Optional[str] = None) -> Dict[str, Any]:
        return self._http.request('GET', '/v1/runs', query={'workflow': workflow, 'status': status,
                                                            'limit': limit, 'cursor': cursor})

    def wait_for_run(self, run_id: str, timeout: int = 30_000, poll_interval: int = 200) -> Dict[str, Any]:
        """Polls until the run completes, fails or is cancelled; TimeoutError after `timeout` ms."""
        deadline = time.monotonic() + timeout / 1000
        while True:
            run = self.get_run(run_id)
            if run.get('status') in TERMINAL_RUN_STATUSES:
                return run
            if time.monotonic() >= deadline:
                raise errors.TimeoutError(f"run {run_id} still {run.get('status')} after {timeout} ms")
            time.sleep(poll_interval / 1000)

    # -- events ---------------------------------------------------------------

    def publish_event(self, type: str, data: Any = None, *, subject: Optional[str] = None,  # noqa: A002
                      source: Optional[str] = None, id: Optional[str] = None) -> Dict[str, Any]:  # noqa: A002
        """Publishes an event as a Kafka producer would; answers ``{'id'}``."""
        return self._http.request('POST', '/v1/events', body=_without_none(
            {'type': type, 'data': data, 'subject': subject, 'source': source, 'id': id}))

    def list_events(
        self,
        *,
        type: Optional[str] = None,  # noqa: A002
        subject: Optional[str] = None,
        source: Optional[str] = None,
        correlation_id: Optional[str] = None,
        since: Optional[str] = None,
        until: Optional[str] = None,
        limit: Optional[int] = None,
        cursor: Optional[str] = None,
    ) -> Dict[str, Any]:
        """One page of stored events, newest first: ``{'items': [...], 'next_cursor': ...}``.

        ``type`` takes a pattern (``order.*``); ``since`` (inclusive) and ``until``
        (exclusive) are RFC 3339 times on the event's own time.
        """
        return self._http.request('GET', '/v1/events', query={
            'type': type, 'subject': subject, 'source': source, 'correlation_id': correlation_id,
            'from': since, 'to': until, 'limit': limit, 'cursor': cursor,
        })

    def iter_events(self, **filters: Any) -> Iterator[Event]:
        """Every stored event matching `filters` (as list_events), newest first, page after page."""
        cursor = filters.pop('cursor', None)
        while True:
            page = self.list_events(cursor=cursor, **filters)
            for item in page.get('items', []):
                yield Event(item)
            cursor = page.get('next_cursor')
            if not cursor:
                return

    def get_event(self, event_id: str) -> Dict[str, Any]:
        return self._http.request('GET', f'/v1/events/{_segment(event_id)}')

    def subscribe(
        self,
        agent_id: Optional[str] = None,
        events: Iterable[str] = (),
        handler: Optional[Callable[[Event], Any]] = None,
        *,
        filter: Optional[str] = None,  # noqa: A002
        subject: Optional[str] = None,
        last_event_id: Optional[str] = None,
        on_error: Optional[Callable[[BaseException], Any]] = None,
        connect_timeout: int = 10_000,
    ) -> Any:
        """The seed's pub-sub: ``subscribe(agent_id=..., events=['order.created'], handler=fn)``.

        With a handler, this process follows the event stream and calls
        ``handler(event)`` for every matching event (types may be patterns,
        ``order.*``) in a background thread; the answer is a
        :class:`~orchestrate.events.Subscription` (``close()``, ``wait()``,
        ``last_event_id``). It returns once the stream is open. Delivery is at
        least once: after a disconnect, or when the handler raises, it resumes
        after the last event handled.

        Without a handler, it creates a durable subscription on the platform:
        each matching event becomes a task of agent `agent_id`, which an
        AgentWorker serves (``filter`` is a JSONata condition).
        """
        types = [events] if isinstance(events, str) else list(events)
        if handler is None:
            if not agent_id:
                raise TypeError('subscribe needs handler=fn, or agent_id=... for a durable agent subscription')
            return self._http.request('POST', '/v1/subscriptions', body=_without_none(
                {'agent': agent_id, 'events': types, 'filter': filter}))
        if filter is not None:
            raise TypeError('filter= applies to durable subscriptions (no handler); filter in the handler')
        subscription = Subscription(
            self._http,
            types=types,
            handler=handler,
            subject=subject,
            last_event_id=last_event_id,
            on_error=on_error or self._log_subscription_error(agent_id),
            name=f'orchestrate-subscription-{agent_id or "events"}',
        ).start()
        if not subscription.wait_connected(connect_timeout / 1000):
            subscription.close()
            subscription.wait(0)  # a refused stream (bad key, bad type) raises its own error here
            raise errors.TimeoutError(f'the event stream did not open within {connect_timeout} ms')
        return subscription

    def _log_subscription_error(self, agent_id: Optional[str]) -> Callable[[BaseException], None]:
        def log(error: BaseException) -> None:
            self.logger.warning('event subscription error', agent_id=agent_id,
                                error=f'{type(error).__name__}: {error}')
        return log

    def replay(
        self,
        *,
        types: Optional[List[str]] = None,
        since: Optional[str] = None,
        until: Optional[str] = None,
        subject: Optional[str] = None,
        correlation_id: Optional[str] = None,
        subscription_id: Optional[str] = None,
        topic: Optional[str] = None,
        original: Optional[bool] = None,
        format: Optional[str] = None,  # noqa: A002
        rate_limit: Optional[int] = None,
        dry_run: Optional[bool] = None,
        idempotency_key: Optional[str] = None,
    ) -> Dict[str, Any]:
        """Replays stored events to a subscription, a Kafka topic, or (original=True) every current route."""
        body = _without_none({
            'filter': _without_none({'types': types, 'from': since, 'to': until, 'subject': subject,
                                     'correlation_id': correlation_id}),
            'target': _without_none({'subscription_id': subscription_id, 'topic': topic,
                                     'original': original, 'format': format}),
            'rate_limit': rate_limit,
            'dry_run': dry_run,
        })
        return self._http.request('POST', '/v1/replays', body=body,
                                  headers={'Idempotency-Key': idempotency_key or str(uuid.uuid4())})

    def get_replay(self, replay_id: str) -> Dict[str, Any]:
        return self._http.request('GET', f'/v1/replays/{_segment(replay_id)}')

    # -- connections and alerts -----------------------------------------------

    def create_connection(self, name: str, connector: str, config: Optional[Dict[str, Any]] = None,
                          secrets: Optional[Dict[str, str]] = None) -> Dict[str, Any]:
        """Creates or replaces a connection; `secrets` are stored encrypted and never answered."""
        return self._http.request('POST', '/v1/connections', body=_without_none(
            {'name': name, 'connector': connector, 'config': config or {}, 'secrets': secrets}))

    def create_alert(
        self,
        name: str,
        condition: str,
        notification_channels: List[str],
        severity: str,
        *,
        scope: Optional[Dict[str, Any]] = None,
        **options: Any,
    ) -> Dict[str, Any]:
        """The seed's alert: ``create_alert(name=..., condition='error_rate > 0.05', ...)``.

        ``for_='5m'`` (or ``**{'for': '5m'}``) is how long the condition must hold.
        """
        duration = options.pop('for_', options.pop('for', None))
        if options:
            raise TypeError(f'create_alert got unexpected arguments: {", ".join(sorted(options))}')
        return self._http.request('POST', '/v1/alerts', body=_without_none({
            'name': name, 'condition': condition, 'notification_channels': list(notification_channels),
            'severity': severity, 'for': duration, 'scope': scope,
        }))
