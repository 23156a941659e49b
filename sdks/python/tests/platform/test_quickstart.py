"""docs/clients-python.md's quick start, run from the document itself: it must work as written."""

from __future__ import annotations

import contextlib
import io
import pathlib
import re
import unittest

DOC = pathlib.Path(__file__).resolve().parents[4] / 'docs' / 'clients-python.md'


def quickstart_blocks() -> list:
    text = DOC.read_text()
    section = text[text.index('## Quick start'):text.index('## Connecting')]
    return re.findall(r'```python\n(.*?)```', section, re.S)


class QuickStartTest(unittest.TestCase):
    def test_the_quick_start_runs_as_written(self) -> None:
        blocks = quickstart_blocks()
        self.assertEqual(len(blocks), 5)
        out = io.StringIO()
        namespace: dict = {}
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            exec(compile('\n'.join(blocks), str(DOC), 'exec'), namespace)  # noqa: S102
        printed = out.getvalue()
        self.assertIn("greeter said {'greeting': 'hello'}", printed)
        self.assertIn("shouter said {'loud': 'HELLO'}", printed)
        self.assertIn('run completed', printed)
        self.assertIn("event quickstart.hello {'from': 'python'}", printed)


if __name__ == '__main__':
    unittest.main()
