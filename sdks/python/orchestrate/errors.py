"""Typed errors: every answer of the API that is not a success becomes one of these.

A 4xx or 5xx carries the RFC 9457 problem document the gateway sent:
``code`` (e.g. ``VALIDATION``), ``status``, ``errors`` (``[{'field', 'message'}]``),
``title`` and ``detail``.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional


class OrchestrateError(Exception):
    """Anything this client raises on purpose."""


class ApiError(OrchestrateError):
    """The API answered with an error status and (usually) a problem+json document."""

    def __init__(self, status: int, problem: Optional[Dict[str, Any]] = None) -> None:
        self.status = status
        self.problem: Dict[str, Any] = dict(problem or {})
        self.code: Optional[str] = self.problem.get('code')
        # The generic code the error belongs to (RESOURCE.NOT_FOUND for RUN.NOT_FOUND, ADR 0038);
        # a server before it sent the category as the code.
        self.category: Optional[str] = self.problem.get('category') or self.code
        self.title: Optional[str] = self.problem.get('title')
        self.detail: Optional[str] = self.problem.get('detail')
        errors = self.problem.get('errors')
        self.errors: List[Dict[str, Any]] = list(errors) if isinstance(errors, list) else []
        super().__init__(self._message())

    def _message(self) -> str:
        text = f'{self.status} {self.title or "error"}'
        if self.detail:
            text += f': {self.detail}'
        fields = ', '.join(
            f"{e.get('field')}: {e.get('message')}" for e in self.errors if isinstance(e, dict)
        )
        if fields and fields not in (self.detail or ''):
            text += f' ({fields})'
        return text


class BadRequestError(ApiError):
    """400 or 422: the request named a field wrongly; see ``errors``."""


class AuthenticationError(ApiError):
    """401: the API key is missing, wrong or revoked."""


class PermissionDeniedError(ApiError):
    """403: the key's role does not allow this call."""


class NotFoundError(ApiError):
    """404: no such agent, workflow, run, event, route..."""


class ConflictError(ApiError):
    """409: the thing exists already or is in a state that refuses the call."""


class RateLimitedError(ApiError):
    """429, after the client's own retries: ``retry_after`` seconds, when the gateway said."""

    def __init__(
        self, status: int, problem: Optional[Dict[str, Any]] = None, retry_after: Optional[float] = None
    ) -> None:
        self.retry_after = retry_after
        super().__init__(status, problem)


class ServerError(ApiError):
    """5xx: the platform failed or an agent did (502), or did not answer in time (504)."""


class UnavailableError(ServerError):
    """503, after the client's own retries: a service behind the gateway is not answering."""


class TimeoutError(OrchestrateError):  # noqa: A001 - the name users expect; also a builtin's subclass below
    """No answer within the client's timeout (the request may still take effect)."""


class ConnectionError(OrchestrateError):  # noqa: A001
    """The endpoint could not be reached."""


_BY_STATUS = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: BadRequestError,
    503: UnavailableError,
}


def error_for(status: int, problem: Optional[Dict[str, Any]], retry_after: Optional[float] = None) -> ApiError:
    """The typed error for a status and its problem document."""
    if status == 429:
        return RateLimitedError(status, problem, retry_after)
    cls = _BY_STATUS.get(status) or (ServerError if status >= 500 else ApiError)
    return cls(status, problem)
