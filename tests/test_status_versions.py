"""The status page shows the library versions each notebook's outputs
were made with (recorded by `make execute`), and "not recorded" for
notebooks executed before that."""

import nbformat

from bertcourse import notebooks
from bertcourse.notebooks import (
    METADATA_KEY,
    SHOWN_VERSIONS,
    library_versions,
    status_page,
)


def test_library_versions_names_torch_transformers_and_datasets():
    import torch
    import transformers

    found = library_versions()
    assert set(SHOWN_VERSIONS) == {"torch", "transformers", "datasets"}
    assert (
        found["torch"].split("+")[0] == torch.__version__.split("+")[0]
    )
    assert found["transformers"] == transformers.__version__


def _notebook(folder, name, meta):
    (folder / f"{name}.md").write_text("x")
    notebook = nbformat.v4.new_notebook()
    notebook.metadata[METADATA_KEY] = meta
    nbformat.write(notebook, folder / f"{name}.ipynb")


def test_status_page_shows_versions_or_not_recorded(tmp_path):
    meta = {
        "profile": "course",
        "date": "2026-12-01",
        "device": "Tesla T4",
        "run_seconds": 612.0,
    }
    versions = {
        "torch": "2.13.0",
        "transformers": "5.23.0",
        "datasets": "5.2.0",
        "tokenizers": "0.23.1",
    }
    _notebook(tmp_path, "06_new", {**meta, "versions": versions})
    _notebook(tmp_path, "07_old", meta)
    rows = [
        line
        for line in status_page([tmp_path]).splitlines()
        if line.startswith("| {doc}")
    ]
    assert "| 2.13.0 5.23.0 5.2.0 | 612.0 |" in rows[0]
    assert "| not recorded | 612.0 |" in rows[1]
    # the date does not wrap in its column: non-breaking hyphens
    assert (
        "2026\u201112\u201101" in rows[0]
        and "2026-12-01" not in rows[0]
    )


def test_execute_records_the_versions():
    import inspect

    assert '"versions": library_versions()' in inspect.getsource(
        notebooks.execute
    )
