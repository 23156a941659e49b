"""Workflows without steps yet: the seed's create_workflow(name=..., retry_policy=..., error_handlers=...)."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any, Dict, List, Optional

if TYPE_CHECKING:  # pragma: no cover
    from .platform import OrchestratePlatform


class WorkflowDraft:
    """A workflow's name and workflow-wide settings, held by the client until it has steps.

    Baton's engine refuses a workflow without steps (a run would have nothing
    to do), so ``create_workflow(name=..., retry_policy=...)`` sends nothing:
    it answers this draft. ``add_step(...)`` then ``publish()`` creates the
    workflow with those settings; so does a later
    ``create_workflow(name=<same name>, steps=[...])`` on the same client,
    whose own fields win over the draft's.
    """

    def __init__(self, platform: 'OrchestratePlatform', name: str, fields: Dict[str, Any]) -> None:
        self._platform = platform
        self.name = name
        self.fields = dict(fields)
        self.steps: List[Dict[str, Any]] = []
        #: The created workflow (the API's answer) once published.
        self.workflow: Optional[Dict[str, Any]] = None

    @property
    def retry_policy(self) -> Optional[Dict[str, Any]]:
        return self.fields.get('retry_policy')

    @property
    def error_handlers(self) -> Optional[Dict[str, Any]]:
        return self.fields.get('error_handlers')

    def add_step(self, name: str, **step: Any) -> 'WorkflowDraft':
        """A step as the YAML writes it: ``add_step(name='classify', agent='classification-agent')``."""
        self.steps.append({'name': name, **step})
        return self

    def document(self) -> Dict[str, Any]:
        """The ``{'workflow': {...}}`` document that publish() sends."""
        return {'workflow': {'name': self.name, **copy.deepcopy(self.fields), 'steps': copy.deepcopy(self.steps)}}

    def publish(self) -> Dict[str, Any]:
        """Creates the workflow (a new version when it exists); raises BadRequestError without steps."""
        self.workflow = self._platform.create_workflow(self.document())
        return self.workflow

    def __repr__(self) -> str:
        return f'WorkflowDraft(name={self.name!r}, steps={len(self.steps)}, published={self.workflow is not None})'
