"""The labs themselves are templates that stop at their first check by design, so nbval
leaves them out; their solved copies in labs/solutions/ run under nbval like the chapters,
and tests/test_labs.py proves that each template stops with the intended message."""

from pathlib import Path

HERE = Path(__file__).resolve().parent


def pytest_ignore_collect(collection_path, config):
    path = Path(collection_path).resolve()
    if path.suffix == ".ipynb" and path.parent == HERE:
        return True
    return None
