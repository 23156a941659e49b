"""Following the workspace's events over the gateway's stream (GET /v1/events/stream).

Server-Sent Events: each event's ``id`` is a cursor; a reconnect sends the last
one as ``Last-Event-ID`` and the stream resumes right after it. Delivery is at
least once: an event whose handler raised, or that arrived while the
connection broke, comes again. Handlers should be idempotent (the event ``id``
is stable).
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional

from . import errors
from ._http import HttpClient, backoff_seconds, build_path, retry_after_seconds

#: The gateway sends a keep-alive every 15 s; three missed ones mean the connection is dead.
READ_TIMEOUT_SECONDS = 45.0


class ServerSentEvent:
    def __init__(self, id: Optional[str], event: str, data: str) -> None:  # noqa: A002
        self.id = id
        self.event = event
        self.data = data


class SseParser:
    """The text/event-stream format (WHATWG HTML, 9.2.6), one line at a time."""

    def __init__(self) -> None:
        self.last_event_id: Optional[str] = None
        self._data: List[str] = []
        self._event = ''
        self._id: Optional[str] = None

    def feed(self, line: str) -> Optional[ServerSentEvent]:
        """Takes one line without its end; answers an event when a blank line completes one."""
        if line == '':
            if self._id is not None:
                # An `id:` alone still moves the resume point (the gateway announces positions so).
                self.last_event_id = self._id
            event = None
            if self._data:
                event = ServerSentEvent(self.last_event_id, self._event or 'message', '\n'.join(self._data))
            self._data, self._event, self._id = [], '', None
            return event
        if line.startswith(':'):
            return None
        field, _, value = line.partition(':')
        if value.startswith(' '):
            value = value[1:]
        if field == 'data':
            self._data.append(value)
        elif field == 'event':
            self._event = value
        elif field == 'id' and '\0' not in value:
            self._id = value
        return None


class Event(dict):
    """A stored event (``id type source subject time data`` ...), with attribute access."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError as error:
            raise AttributeError(name) from error


Handler = Callable[[Event], Any]


class Subscription:
    """Calls ``handler`` for each event of the stream, in a background thread, until closed."""

    def __init__(
        self,
        http: HttpClient,
        *,
        types: Iterable[str],
        handler: Handler,
        subject: Optional[str] = None,
        source: Optional[str] = None,
        last_event_id: Optional[str] = None,
        on_error: Optional[Callable[[BaseException], Any]] = None,
        name: str = 'orchestrate-subscription',
        read_timeout: float = READ_TIMEOUT_SECONDS,
        max_backoff: float = 10.0,
    ) -> None:
        if not callable(handler):
            raise TypeError('handler must be callable: handler=fn, where fn(event) handles one event')
        self._http = http
        self._query: Dict[str, Any] = {'type': ','.join(types) or None, 'subject': subject, 'source': source}
        self._handler = handler
        self._on_error = on_error
        self._read_timeout = read_timeout
        self._max_backoff = max_backoff
        #: The id of the last event handled (or position announced): where a reconnect resumes.
        self.last_event_id = last_event_id
        self.handled = 0
        self._closed = threading.Event()
        self._connected = threading.Event()
        #: Set the first time the stream opens and never cleared: a stream that
        #: opens, delivers and ends at once still counts as opened.
        self._opened = threading.Event()
        #: Set when the stream opens or the subscription ends, whichever comes first.
        self._settled = threading.Event()
        self._lock = threading.Lock()
        self._connection: Optional[http.client.HTTPConnection] = None
        self._socket: Optional[socket.socket] = None
        self._fatal: Optional[BaseException] = None
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> 'Subscription':
        self._thread.start()
        return self

    def wait_connected(self, timeout: Optional[float] = None) -> bool:
        """True once the stream has opened (events stored from then on will be delivered).

        Not `_connected`: that is cleared when a stream ends, and a short stream can
        open, deliver and end before the caller looks.
        """
        self._settled.wait(timeout)
        return self._opened.is_set()

    def wait(self, timeout: Optional[float] = None) -> None:
        """Blocks until closed (or `timeout`); raises the error that ended it, if any."""
        self._thread.join(timeout)
        if self._fatal is not None:
            raise self._fatal

    def close(self) -> None:
        self._closed.set()
        self._settled.set()
        self._disconnect()
        if threading.current_thread() is not self._thread:
            self._thread.join(5)

    @property
    def closed(self) -> bool:
        return self._closed.is_set()

    def __enter__(self) -> 'Subscription':
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _run(self) -> None:
        failures = 0
        while not self._closed.is_set():
            try:
                for event in self._stream():
                    self._deliver(event)
                    failures = 0
                failures = 0  # the server ended the stream (a restart): reconnect at once
            except (errors.AuthenticationError, errors.PermissionDeniedError, errors.BadRequestError) as error:
                # Retrying cannot help; the subscription ends and wait() raises it.
                self._fatal = error
                self._report(error)
                self._closed.set()
                self._settled.set()
            except Exception as error:  # noqa: BLE001 - a broken connection or a failed handler
                if self._closed.is_set():
                    break
                self._report(error)
                wait = getattr(error, 'retry_after', None) or backoff_seconds(failures, 0.5, self._max_backoff)
                failures += 1
                self._closed.wait(wait)
            finally:
                self._connected.clear()
                self._disconnect()

    def _deliver(self, sse: ServerSentEvent) -> None:
        event = Event(json.loads(sse.data))
        # A handler that raises leaves last_event_id before this event: the reconnect brings it again.
        self._handler(event)
        self.last_event_id = sse.id
        self.handled += 1

    def _stream(self) -> Iterator[ServerSentEvent]:
        connection = self._http.endpoint.connect(self._read_timeout)
        try:
            connection.connect()
        except socket.timeout as error:
            raise errors.TimeoutError(f'cannot reach the gateway within {self._read_timeout} s') from error
        except OSError as error:
            raise errors.ConnectionError(f'cannot reach the gateway: {error}') from error
        with self._lock:
            # Kept apart: http.client hands the socket to the response and forgets it.
            self._connection, self._socket = connection, connection.sock
            if self._closed.is_set():
                return
        headers = self._http.headers({'Accept': 'text/event-stream'})
        if self.last_event_id:
            headers['Last-Event-ID'] = self.last_event_id
        target = build_path(self._http.endpoint.prefix, '/v1/events/stream', self._query)
        try:
            connection.request('GET', target, headers=headers)
            response = connection.getresponse()
        except socket.timeout as error:
            raise errors.TimeoutError(f'GET {target}: no answer within {self._read_timeout} s') from error
        except OSError as error:
            raise errors.ConnectionError(f'GET {target}: {error}') from error
        if response.status != 200:
            raw = response.read()
            try:
                problem = json.loads(raw.decode('utf-8')) if raw else {}
            except ValueError:
                problem = {'detail': raw.decode('utf-8', errors='replace')}
            raise errors.error_for(
                response.status, problem, retry_after_seconds(response.getheader('retry-after'))
            )
        self._connected.set()
        self._opened.set()
        self._settled.set()
        parser = SseParser()
        parser.last_event_id = self.last_event_id
        while not self._closed.is_set():
            raw_line = response.readline()
            if not raw_line:
                return  # the server closed the stream
            line = raw_line.decode('utf-8').rstrip('\r\n')
            event = parser.feed(line)
            if event is not None:
                if event.event == 'error':
                    raise errors.UnavailableError(503, _json_or_text(event.data))
                yield event
            elif line == '' and parser.last_event_id != self.last_event_id:
                # A bare `id:` frame: the server skipped past events this filter leaves out.
                self.last_event_id = parser.last_event_id

    def _disconnect(self) -> None:
        with self._lock:
            connection, self._connection = self._connection, None
            sock, self._socket = self._socket, None
        if sock is not None:
            try:
                # Wakes a readline() blocked in the subscription's thread.
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        if connection is not None:
            connection.close()

    def _report(self, error: BaseException) -> None:
        if self._on_error is not None:
            try:
                self._on_error(error)
            except Exception:  # noqa: BLE001 - the error callback must not end the subscription
                pass


def _json_or_text(data: str) -> Dict[str, Any]:
    try:
        value = json.loads(data)
        return value if isinstance(value, dict) else {'detail': str(value)}
    except ValueError:
        return {'detail': data}
