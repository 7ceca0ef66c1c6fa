"""Code style: ruff at the book's column ([tool.ruff] in pyproject.toml)
on the package, scripts and tests, and on every notebook's code cells
(checked in their MyST sources); and `sync`'s rule that a reformatted
cell keeps its outputs while a changed one loses them."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import jupytext
import nbformat
import pytest

from bertcourse.notebooks import (
    format_source,
    is_lab_template,
    notebook_sources,
    same_code,
    sync,
)

ROOT = Path(__file__).resolve().parents[1]
PYTHON_SOURCES = ["src", "scripts", "tests", "conftest.py", "_ext"]
SOURCES = notebook_sources(
    [ROOT / "notebooks", ROOT / "labs", ROOT / "labs" / "solutions"]
)
FIX = "run `make format`"

try:
    import ruff  # the pinned formatter (requirements.txt)
except ImportError:  # pragma: no cover
    pytest.skip(
        "ruff is not installed: pip install ruff==0.17.6 "
        "(requirements.txt pins it)",
        allow_module_level=True,
    )


def ruff(*args):
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_python_sources_are_formatted():
    result = ruff("format", "--check", *PYTHON_SOURCES)
    assert result.returncode == 0, (
        f"not formatted at the book's column:\n{result.stdout}"
        f"{result.stderr}{FIX}, which fixes them"
    )


def test_python_sources_pass_ruff_check():
    result = ruff(
        "check", "--output-format", "concise", *PYTHON_SOURCES
    )
    assert result.returncode == 0, (
        f"{result.stdout}{result.stderr}{FIX} (it sorts imports and "
        "formats; fix the rest by hand: rewrap a long string or "
        "comment so that it still reads well)"
    )


@pytest.mark.parametrize(
    "md", SOURCES, ids=lambda p: p.relative_to(ROOT).as_posix()
)
def test_notebook_code_cells_are_formatted_and_pass_ruff_check(md):
    problems = format_source(md, check=True)
    advice = (
        f"{FIX}: it formats the code cells of the .md and keeps their "
        "outputs; fix what it still lists by hand"
    )
    assert not problems, "\n".join([*problems, advice])


# ---------------------------------------------------------------------
# sync keeps the outputs of a cell whose code is unchanged

CHAPTER = """\
---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.19.6
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# A chapter

```{{code-cell}} ipython3
:tags: [hide-input]

import sys

if "google.colab" in sys.modules:
    %pip install -q  some-package
```

```{{code-cell}} ipython3
{code}
```

Some text.
"""


def _written(tmp_path, code):
    """A chapter in a folder with the repository's ruff settings, its
    .ipynb synced and its second cell given a stored run."""
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    md = tmp_path / "chapter.md"
    md.write_text(CHAPTER.format(code=code))
    ipynb = sync(md)
    notebook = nbformat.read(ipynb, as_version=4)
    cell = notebook.cells[2]
    cell.execution_count = 7
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="[1, 2]\n")
    ]
    nbformat.write(notebook, ipynb)
    return md, ipynb


def _stored_run(ipynb):
    cell = nbformat.read(ipynb, as_version=4).cells[2]
    return cell.execution_count, [o.get("text") for o in cell.outputs]


def _edit(md, old, new):
    md.write_text(md.read_text().replace(old, new))


def test_a_reformatted_cell_keeps_its_outputs(tmp_path):
    md, ipynb = _written(tmp_path, "numbers=[1,2]\nprint( numbers )")
    _edit(
        md,
        "numbers=[1,2]\nprint( numbers )",
        "numbers = [\n    1,\n    2,\n]  # a comment\nprint(numbers)",
    )
    sync(md)
    assert _stored_run(ipynb) == (7, ["[1, 2]\n"])
    assert "numbers = [\n    1," in jupytext.read(ipynb).cells[2].source


def test_a_changed_cell_loses_its_outputs(tmp_path):
    md, ipynb = _written(tmp_path, "numbers = [1, 2]\nprint(numbers)")
    _edit(md, "numbers = [1, 2]", "numbers = [1, 3]")
    sync(md)
    assert _stored_run(ipynb) == (None, [])
    # its neighbours keep their ids: the diff shows one changed cell
    before = [c.id for c in nbformat.read(ipynb, as_version=4).cells]
    assert len(set(before)) == len(before)


def test_format_formats_the_cells_and_keeps_their_outputs(tmp_path):
    md, ipynb = _written(
        tmp_path,
        "from os import path\nimport sys\nprint( path.sep,sys.path )",
    )
    problems = format_source(md, check=True)
    assert any("not formatted" in p for p in problems)
    assert any("I001" in p for p in problems)  # imports out of order
    assert format_source(md) == []
    text = md.read_text()
    assert (
        "import sys\nfrom os import path\n\nprint(path.sep, sys.path)\n"
        in text
    )
    # the magic is left as IPython reads it, spaces and all
    assert "    %pip install -q  some-package\n" in text
    assert format_source(md, check=True) == []
    assert _stored_run(ipynb) == (7, ["[1, 2]\n"])


def test_format_check_names_what_formatting_cannot_fix(tmp_path):
    md, _ = _written(
        tmp_path, "x = 1\n# " + "long comment " * 8 + "end"
    )
    problems = format_source(md, check=True)
    assert len(problems) == 1 and "E501" in problems[0], problems
    line = int(problems[0].split(":")[1])
    assert md.read_text().splitlines()[line - 1].startswith("# long")


def test_format_of_a_lab_formats_its_solutions_too(tmp_path):
    labs = tmp_path / "labs"
    labs.mkdir()
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    lab = labs / "01_masking_and_tokenizers.md"
    shutil.copy(ROOT / "labs" / lab.name, lab)
    assert is_lab_template(lab)
    _edit(
        lab,
        "len(tokens) / len(text.split())",
        "len(tokens)/len(text.split())",
    )
    problems = format_source(lab, check=True)
    assert len(problems) == 1 and "not formatted" in problems[0]
    assert format_source(lab) == []
    assert "len(tokens) / len(text.split())" in lab.read_text()
    solved = labs / "solutions" / lab.name
    assert "len(tokens) / len(text.split())" in solved.read_text()


@pytest.mark.parametrize(
    "before, after",
    [
        ("x=[1,2]", "x = [\n    1,\n    2,\n]"),
        ("f(a,b)  # why", "# why\nf(\n    a,\n    b,\n)"),
        ("s = 'ab' 'cd'", 's = (\n    "abcd"\n)'),
        ("s = f'{x} and {y}'", 's = (\n    f"{x} "\n    f"and {y}"\n)'),
        (
            'def f():\n    """One line\n       and another."""',
            'def f():\n    """One line and\n    another."""',
        ),
        ("%pip install  -q x", "%pip install  -q x\n"),
        (
            "import sys\nfrom os import sep\nfrom os import path",
            "from os import path, sep\nimport sys",
        ),
    ],
)
def test_same_code_ignores_formatting(before, after):
    assert same_code(before, after)


@pytest.mark.parametrize(
    "before, after",
    [
        ("x = [1, 2]", "x = [1, 3]"),
        ("s = 'abcd'", "s = 'ab cd'"),
        ("f(a, b)", "f(b, a)"),
        ("f(a, b=1)", "f(a, b=2)"),
        ("%pip install -q x", "%pip install -q y"),
        ("x", "x;"),  # a final semicolon hides the value
        ("x = 1", "x = 1\nx"),  # the last expression is displayed
        ("x = (", "x = ["),  # neither parses: only equal text is same
        (
            "import os\nx = 1\nimport sys",
            "import os\nimport sys\nx = 1",
        ),
    ],
)
def test_same_code_sees_changes(before, after):
    assert not same_code(before, after)


def test_sync_of_an_unchanged_notebook_changes_nothing(tmp_path):
    md = tmp_path / "01_bert_in_five_minutes.md"
    ipynb = md.with_suffix(".ipynb")
    shutil.copy(ROOT / "notebooks" / md.name, md)
    shutil.copy(ROOT / "notebooks" / ipynb.name, ipynb)
    sync(md)
    once = ipynb.read_text()
    sync(md)
    assert ipynb.read_text() == once
    stored = json.loads((ROOT / "notebooks" / ipynb.name).read_text())
    synced = json.loads(once)
    assert [c.get("outputs") for c in synced["cells"]] == [
        c.get("outputs") for c in stored["cells"]
    ]
