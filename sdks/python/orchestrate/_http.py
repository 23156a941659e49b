"""The transport: one JSON request over http.client, with retries and timeouts."""

from __future__ import annotations

import email.utils
import http.client
import json
import random
import socket
import ssl
import time
from typing import Any, Callable, Dict, Mapping, Optional, Tuple
from urllib.parse import urlencode, urlsplit

from . import errors
from ._version import __version__

#: Statuses that mean "not done, try again later".
RETRYABLE_STATUSES = (429, 503)
#: Methods that may be sent twice; a POST is retried on 503 only with an Idempotency-Key.
IDEMPOTENT_METHODS = ('GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS')
#: A Retry-After longer than this is not waited for: the error goes to the caller.
MAX_RETRY_AFTER_SECONDS = 60.0


class Response:
    def __init__(self, status: int, headers: Mapping[str, str], body: Any) -> None:
        self.status = status
        self.headers = headers
        self.body = body


class Endpoint:
    """Where the gateway is: scheme, host, port and a path prefix."""

    def __init__(self, url: str) -> None:
        if not url:
            raise ValueError('endpoint is required, e.g. http://127.0.0.1:3000')
        parts = urlsplit(url)
        if parts.scheme not in ('http', 'https') or not parts.hostname:
            raise ValueError(f'endpoint must be an http(s) URL, not {url!r}')
        self.scheme = parts.scheme
        self.host = parts.hostname
        self.port = parts.port or (443 if parts.scheme == 'https' else 80)
        self.prefix = parts.path.rstrip('/')

    def connect(self, timeout: Optional[float]) -> http.client.HTTPConnection:
        if self.scheme == 'https':
            return http.client.HTTPSConnection(
                self.host, self.port, timeout=timeout, context=ssl.create_default_context()
            )
        return http.client.HTTPConnection(self.host, self.port, timeout=timeout)


def build_path(prefix: str, path: str, query: Optional[Mapping[str, Any]] = None) -> str:
    pairs = []
    for key, value in (query or {}).items():
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            pairs.extend((key, str(item)) for item in value)
        elif isinstance(value, bool):
            pairs.append((key, 'true' if value else 'false'))
        else:
            pairs.append((key, str(value)))
    return prefix + path + (('?' + urlencode(pairs)) if pairs else '')


def retry_after_seconds(value: Optional[str], now: Optional[float] = None) -> Optional[float]:
    """Retry-After as seconds (RFC 9110: delay-seconds or an HTTP-date); None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def backoff_seconds(attempt: int, base: float, cap: float) -> float:
    """Exponential backoff with full jitter: attempt 0 waits up to `base`, then twice as long..."""
    return random.uniform(0, min(cap, base * (2 ** attempt)))


class HttpClient:
    def __init__(
        self,
        endpoint: str,
        api_key: str,
        workspace_id: Optional[str] = None,
        timeout: float = 30.0,
        max_retries: int = 3,
        backoff_base: float = 0.5,
        backoff_cap: float = 10.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not api_key:
            raise ValueError('api_key is required (ORCHESTRATE_API_KEY)')
        self.endpoint = Endpoint(endpoint)
        self.api_key = api_key
        self.workspace_id = workspace_id
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self._sleep = sleep

    def headers(self, extra: Optional[Mapping[str, str]] = None) -> Dict[str, str]:
        headers = {
            'Authorization': f'Bearer {self.api_key}',
            'Accept': 'application/json',
            'User-Agent': f'orchestrate-python/{__version__}',
        }
        if self.workspace_id:
            headers['X-Workspace-Id'] = self.workspace_id
        headers.update(extra or {})
        return headers

    def request(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        content_type: str = 'application/json',
        query: Optional[Mapping[str, Any]] = None,
        headers: Optional[Mapping[str, str]] = None,
        timeout: Optional[float] = None,
    ) -> Any:
        """Sends a request, retrying 429 and 503; answers the parsed JSON body."""
        return self.send(
            method, path, body=body, content_type=content_type, query=query, headers=headers, timeout=timeout
        ).body

    def send(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        content_type: str = 'application/json',
        query: Optional[Mapping[str, Any]] = None,
        headers: Optional[Mapping[str, str]] = None,
        timeout: Optional[float] = None,
    ) -> Response:
        all_headers = self.headers(headers)
        payload: Optional[bytes] = None
        if body is not None:
            all_headers['Content-Type'] = content_type
            payload = (body if isinstance(body, str) else json.dumps(body)).encode('utf-8')
        target = build_path(self.endpoint.prefix, path, query)
        may_retry_unavailable = method.upper() in IDEMPOTENT_METHODS or any(
            key.lower() == 'idempotency-key' for key in all_headers
        )
        attempt = 0
        while True:
            status, response_headers, raw = self._once(method, target, payload, all_headers, timeout)
            if status < 400:
                return Response(status, response_headers, _parse(raw))
            retry_after = retry_after_seconds(response_headers.get('retry-after'))
            retryable = status == 429 or (status == 503 and may_retry_unavailable)
            if retryable and attempt < self.max_retries and (
                retry_after is None or retry_after <= MAX_RETRY_AFTER_SECONDS
            ):
                wait = retry_after if retry_after is not None else backoff_seconds(
                    attempt, self.backoff_base, self.backoff_cap
                )
                self._sleep(wait)
                attempt += 1
                continue
            problem = _parse(raw)
            if not isinstance(problem, dict):
                problem = {'detail': problem if isinstance(problem, str) else None, 'status': status}
            raise errors.error_for(status, problem, retry_after)

    def _once(
        self,
        method: str,
        target: str,
        payload: Optional[bytes],
        headers: Mapping[str, str],
        timeout: Optional[float],
    ) -> Tuple[int, Dict[str, str], bytes]:
        connection = self.endpoint.connect(self.timeout if timeout is None else timeout)
        try:
            connection.request(method, target, body=payload, headers=dict(headers))
            response = connection.getresponse()
            raw = response.read()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, raw
        except socket.timeout as error:
            raise errors.TimeoutError(
                f'{method} {target}: no answer within {self.timeout if timeout is None else timeout} s'
            ) from error
        except (ConnectionRefusedError, socket.gaierror, ssl.SSLError, OSError, http.client.HTTPException) as error:
            raise errors.ConnectionError(
                f'{method} {target}: cannot reach {self.endpoint.scheme}://{self.endpoint.host}:'
                f'{self.endpoint.port} ({error})'
            ) from error
        finally:
            connection.close()


def _parse(raw: bytes) -> Any:
    if not raw:
        return None
    text = raw.decode('utf-8', errors='replace')
    try:
        return json.loads(text)
    except ValueError:
        return text
