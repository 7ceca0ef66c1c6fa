"""The decision guide pastes chapter 10's numbers with `{glue:text}`:
every key it names must be glued in the stored notebook, or the book
would show a warning instead."""

import re
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "book" / "decision_guide.md"
PASTE = re.compile(r"\{glue:text\}`([^`:]+)::([^`:]+):[^`]*`")


def glued_keys(notebook_path):
    notebook = nbformat.read(notebook_path, as_version=4)
    return {
        output.metadata["scrapbook"]["name"]
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if "scrapbook" in output.get("metadata", {})
    }


def test_every_pasted_number_is_glued_in_its_notebook():
    pastes = PASTE.findall(GUIDE.read_text())
    assert len(pastes) >= 10, (
        "the guide quotes chapter 10's measurements"
    )
    for notebook, key in pastes:
        path = (GUIDE.parent / notebook).resolve()
        assert path.exists(), notebook
        assert key in glued_keys(path), (
            f"{key!r} is not glued in {notebook}: re-execute it"
        )


def test_every_format_spec_is_given():
    # `{glue:text}` reads `path::key` without a format as a key named
    # "path:": always give one
    for paste in re.findall(
        r"\{glue:text\}`([^`]*)`", GUIDE.read_text()
    ):
        assert re.fullmatch(r"[^:]+::[^:]+:[^:]+", paste), paste
