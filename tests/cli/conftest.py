"""Make tests/builders.py and tests/front_builder.py importable (tests/ is not a package)."""

import sys
from pathlib import Path

TESTS_DIR = str(Path(__file__).resolve().parents[1])
if TESTS_DIR not in sys.path:
    sys.path.insert(0, TESTS_DIR)
