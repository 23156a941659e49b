import json
import pathlib
import re
import unittest

import orchestrate

ROOT = pathlib.Path(__file__).resolve().parents[4]


class VersionTest(unittest.TestCase):
    def test_package_version_is_the_repository_version(self) -> None:
        repository = json.loads((ROOT / 'package.json').read_text())['version']
        pyproject = (ROOT / 'sdks' / 'python' / 'pyproject.toml').read_text()
        declared = re.search(r'^version = "([^"]+)"', pyproject, re.M)
        self.assertIsNotNone(declared)
        self.assertEqual(declared.group(1), repository)
        self.assertEqual(orchestrate.__version__, repository)


if __name__ == '__main__':
    unittest.main()
