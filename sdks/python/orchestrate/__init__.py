"""Baton's Python client: ``from orchestrate import OrchestratePlatform``."""

from ._version import __version__
from .errors import (
    ApiError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    ConnectionError,
    NotFoundError,
    OrchestrateError,
    PermissionDeniedError,
    RateLimitedError,
    ServerError,
    TimeoutError,
    UnavailableError,
)
from .events import Event, Subscription
from .logger import StructuredLogger
from .platform import OrchestratePlatform
from .worker import AgentWorker, TaskFailed
from .workflows import WorkflowDraft

__all__ = [
    '__version__',
    'AgentWorker',
    'ApiError',
    'AuthenticationError',
    'BadRequestError',
    'ConflictError',
    'ConnectionError',
    'Event',
    'NotFoundError',
    'OrchestrateError',
    'OrchestratePlatform',
    'PermissionDeniedError',
    'RateLimitedError',
    'ServerError',
    'StructuredLogger',
    'Subscription',
    'TaskFailed',
    'TimeoutError',
    'UnavailableError',
    'WorkflowDraft',
]
