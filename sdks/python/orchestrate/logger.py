"""Structured logs: one JSON object per line on stderr (until Baton collects client logs)."""

from __future__ import annotations

import json
import sys
import threading
from datetime import datetime, timezone
from typing import Any, Dict, Optional, TextIO

_LEVELS = {'debug': 20, 'info': 30, 'warning': 40, 'error': 50, 'critical': 60}


class StructuredLogger:
    """``logger.info('Agent invoked', agent_id='...', request_id='...')`` writes
    ``{"time": ..., "level": "info", "msg": "Agent invoked", "agent_id": ..., ...}``."""

    def __init__(
        self,
        base: Optional[Dict[str, Any]] = None,
        stream: Optional[TextIO] = None,
        level: str = 'debug',
    ) -> None:
        self.base = dict(base or {})
        self._stream = stream
        self._threshold = _LEVELS[level]
        self._lock = threading.Lock()

    def child(self, **fields: Any) -> 'StructuredLogger':
        """A logger that adds `fields` to every record."""
        child = StructuredLogger({**self.base, **fields}, self._stream)
        child._threshold = self._threshold
        return child

    def debug(self, msg: str, **fields: Any) -> None:
        self._write('debug', msg, fields)

    def info(self, msg: str, **fields: Any) -> None:
        self._write('info', msg, fields)

    def warning(self, msg: str, **fields: Any) -> None:
        self._write('warning', msg, fields)

    warn = warning

    def error(self, msg: str, **fields: Any) -> None:
        self._write('error', msg, fields)

    def critical(self, msg: str, **fields: Any) -> None:
        self._write('critical', msg, fields)

    def _write(self, level: str, msg: str, fields: Dict[str, Any]) -> None:
        if _LEVELS[level] < self._threshold:
            return
        record = {
            'time': datetime.now(timezone.utc).isoformat(timespec='milliseconds').replace('+00:00', 'Z'),
            'level': level,
            'msg': msg,
            **self.base,
            **fields,
        }
        line = json.dumps(record, default=str, ensure_ascii=False)
        stream = self._stream or sys.stderr
        with self._lock:
            stream.write(line + '\n')
            stream.flush()
