"""A small real HTTP server for unit tests: records requests, answers scripted responses."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, List, Optional, Tuple

Responder = Callable[['RecordedRequest', BaseHTTPRequestHandler], Optional[Tuple[int, Dict[str, str], Any]]]


class RecordedRequest:
    def __init__(self, method: str, path: str, headers: Dict[str, str], body: bytes) -> None:
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body

    def json(self) -> Any:
        return json.loads(self.body.decode('utf-8'))


class StubServer:
    """Answers each request with the next scripted response (or `default`)."""

    def __init__(self) -> None:
        self.requests: List[RecordedRequest] = []
        self.script: List[Any] = []
        self.default: Tuple[int, Dict[str, str], Any] = (200, {}, {})
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = 'HTTP/1.1'

            def log_message(self, *_: Any) -> None:
                pass

            def handle(self) -> None:
                try:
                    super().handle()
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def _handle(self) -> None:
                length = int(self.headers.get('content-length') or 0)
                body = self.rfile.read(length) if length else b''
                request = RecordedRequest(
                    self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body
                )
                stub.requests.append(request)
                answer = stub.script.pop(0) if stub.script else stub.default
                if callable(answer):
                    answer = answer(request, self)
                    if answer is None:
                        return  # the responder wrote the response itself
                status, headers, payload = answer
                raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode('utf-8')
                self.send_response(status)
                content_type = 'application/problem+json' if status >= 400 else 'application/json'
                self.send_header('Content-Type', headers.pop('content-type', content_type))
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header('Content-Length', str(len(raw)))
                self.end_headers()
                try:
                    self.wfile.write(raw)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

        self.server = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        self.server.daemon_threads = True
        self.url = f'http://127.0.0.1:{self.server.server_address[1]}'
        self._thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self) -> 'StubServer':
        self._thread.start()
        return self

    def __exit__(self, *_: Any) -> None:
        self.server.shutdown()
        self.server.server_close()
