"""Maintainer tools for the notebook pairs: sync the .ipynb from its
MyST source, execute it in a profile, and record that profile in the
notebook's metadata.

    python -m bertcourse.notebooks execute --profile course nb/*.md
    python -m bertcourse.notebooks check notebooks labs
    python -m bertcourse.notebooks set-repo-url nb/*.md  # the URL
    python -m bertcourse.notebooks solutions labs/*.md  # solved copies
    python -m bertcourse.notebooks format [--check] nb/*.md labs/*.md

(nb/ stands for notebooks/.)

A lab (`labs/NN_topic.md`) is a template: its TODO cells are tagged
`exercise`, and the solution under each is the code in the `<details>`
block that follows it. Its .ipynb is stored unexecuted (it stops at the
first check by design); `solutions` writes the solution notebook
`labs/solutions/NN_topic.md` with each exercise cell replaced by that
code, so the lab is the one source of both.

The recorded profile is what `pytest --nbval` runs (see
tests/conftest.py), so a course edition executed on a GPU is verified on
a GPU.
"""

import argparse
import copy
import os
import re
import sys
import time
from pathlib import Path

from .errors import CourseError
from .profiles import PROFILE_ENV, PROFILES, resolve_profile

METADATA_KEY = "bertcourse"


def notebook_sources(folders):
    """The MyST sources of the paired notebooks under `folders`
    (README.md excluded)."""
    found = []
    for folder in folders:
        found += [
            p
            for p in sorted(Path(folder).glob("*.md"))
            if p.name != "README.md"
        ]
    return found


LABS = "labs"
SOLUTIONS = "solutions"
EXERCISE_TAG = "exercise"


def is_lab_template(md_path):
    """A lab template: a notebook directly in labs/ (its solutions are
    in labs/solutions/)."""
    return Path(md_path).resolve().parent.name == LABS


def source_cells(notebook):
    """(cell type, source, tags) of every cell, the part of a pair that
    must agree (a lost `nbval-ignore-output` tag would make nbval check
    a progress bar)."""
    return [
        (
            cell.cell_type,
            cell.source.strip(),
            tuple(cell.metadata.get("tags", [])),
        )
        for cell in notebook.cells
    ]


def pair_problems(md_path):
    """What is wrong with the pair of `md_path`: a missing half or
    differing sources."""
    import jupytext

    md_path = Path(md_path)
    ipynb_path = md_path.with_suffix(".ipynb")
    if not ipynb_path.exists():
        return [f"{ipynb_path} is missing: run `make sync`"]
    from_md = jupytext.read(md_path)
    from_ipynb = jupytext.read(ipynb_path)
    if source_cells(from_md) != source_cells(from_ipynb):
        return [
            (
                f"{md_path} and {ipynb_path} differ: edit the .md, "
                "then run `make sync` and `make execute`"
            )
        ]
    recorded = from_ipynb.metadata.get(METADATA_KEY, {})
    if is_lab_template(md_path):
        ran = [
            c
            for c in from_ipynb.cells
            if c.cell_type == "code"
            and (c.outputs or c.execution_count)
        ]
        if not recorded.get("template") or ran:
            return [
                (
                    f"{ipynb_path} is a lab template: it must be "
                    "stored unexecuted: run `make sync`"
                )
            ]
        solution = solution_path(md_path)
        if not solution.exists() or source_cells(
            jupytext.read(solution)
        ) != source_cells(solution_notebook(md_path)):
            return [
                (
                    f"{solution} is not the solution notebook of "
                    f"{md_path}: run `make sync`"
                )
            ]
        return []
    if "profile" not in recorded:
        return [f"{ipynb_path} records no profile: run `make execute`"]
    return []


def sync(md_path):
    """Write the .ipynb from the .md, keeping the stored outputs of
    unchanged cells.

    A code cell keeps its stored outputs and execution count when its
    source is the stored one, or differs from it only in formatting
    (`same_code`): a `make format` never forces a re-execution. Any
    other edit drops the cell's outputs, so no output is shown under
    code that did not make it; `make execute` makes new ones.
    """
    import jupytext
    from jupytext.combine import combine_inputs_with_outputs

    md_path = Path(md_path)
    if not md_path.exists():
        raise CourseError(
            f"{md_path} does not exist. Fix: name a notebook source "
            "such as notebooks/01_bert_in_five_minutes.md (or its "
            ".ipynb)."
        )
    ipynb_path = md_path.with_suffix(".ipynb")
    notebook = jupytext.read(md_path)
    if ipynb_path.exists():
        stored = jupytext.read(ipynb_path)
        # jupytext's combine restores the stored notebook's metadata;
        # the cells are matched here (`stored_cells_for`)
        combined = combine_inputs_with_outputs(notebook, stored)
        combined.cells = [
            _carry_over(
                cell, stored.cells[j] if j is not None else None
            )
            for cell, j in zip(
                notebook.cells,
                stored_cells_for(notebook.cells, stored.cells),
                strict=True,
            )
        ]
        notebook = combined
    # stored unexecuted: it stops at its first check by design
    if is_lab_template(md_path):
        for cell in notebook.cells:
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
        notebook.metadata[METADATA_KEY] = {"template": True}
    jupytext.write(notebook, ipynb_path)
    return ipynb_path


def stored_cells_for(cells, stored):
    """For each cell of `cells` (from the .md), the index of its stored
    cell in `stored` (from the .ipynb), or None.

    In order of preference: the same source, taken in increasing order
    as jupytext does; then, for code, the same code (`same_code`) among
    the stored cells left; then the next stored cell of the same type
    after the previous match, which keeps an edited cell's id (its
    outputs are dropped by `_carry_over`).
    """
    found = [None] * len(cells)
    for same in (_same_text, _same_cell_code):
        used = {j for j in found if j is not None}
        next_j = 0
        for i, cell in enumerate(cells):
            if found[i] is not None:
                next_j = found[i] + 1
                continue
            candidates = [
                j for j in range(next_j, len(stored)) if j not in used
            ] + [j for j in range(next_j) if j not in used]
            for j in candidates:
                if same(cell, stored[j]):
                    found[i], next_j = j, j + 1
                    used.add(j)
                    break
    used = {j for j in found if j is not None}
    previous = -1
    for i, cell in enumerate(cells):
        if found[i] is not None:
            previous = found[i]
            continue
        j = previous + 1
        if (
            j < len(stored)
            and j not in used
            and stored[j].cell_type == cell.cell_type
        ):
            found[i], previous = j, j
            used.add(j)
    return found


def _same_text(cell, stored_cell):
    return (
        cell.cell_type == stored_cell.cell_type
        and cell.source.strip() == stored_cell.source.strip()
    )


def _same_cell_code(cell, stored_cell):
    return (
        cell.cell_type == stored_cell.cell_type == "code"
        and same_code(cell.source, stored_cell.source)
    )


def _carry_over(cell, stored_cell):
    """`cell` from the .md with the id, outputs and execution count of
    its stored cell, when that cell ran the same code; the .md's source
    and tags win."""
    if stored_cell is None:
        return cell
    combined = copy.copy(stored_cell)
    combined.source, combined.metadata = cell.source, cell.metadata
    if cell.cell_type == "code" and not same_code(
        cell.source, stored_cell.source
    ):
        combined.outputs, combined.execution_count = [], None
    return combined


def same_code(source, other):
    """Whether two code cells differ at most in formatting: their Python
    syntax trees are equal (`code_tree`).

    So a change of layout, line breaks, parentheses, quotes, trailing
    commas, comments, the order of adjacent imports or of the whitespace
    inside docstrings keeps the
    outputs; any change to what runs (a name, a number, a string's
    value, an argument, an IPython magic's arguments) or to whether the
    cell's value is shown (a final `;`) does not.
    """
    if source.strip() == other.strip():
        return True
    tree = code_tree(source)
    return tree is not None and tree == code_tree(other)


def code_tree(source):
    """The syntax tree of a code cell as text, or None if it does not
    parse: IPython's magics and shell escapes (`%pip ...`, `!ls`) are
    first translated into the calls IPython makes, positions are left
    out, and docstrings are compared word by word (whitespace
    collapsed), the way a formatter may reindent or rewrap them; a run
    of consecutive imports is compared as a set of imported names,
    which sorting imports may reorder. A final `;`, which hides the
    cell's value, is part of it."""
    import ast

    try:
        from IPython.core.inputtransformer2 import TransformerManager

        source = TransformerManager().transform_cell(source)
    except ImportError:  # plain Python only
        pass
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    # a final semicolon is not in the tree, but it hides the cell's
    # value
    quiet = _ends_with_semicolon(source)
    _sort_import_runs(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant):
            node.kind = None  # a u"" prefix
        if isinstance(
            node,
            (
                ast.Module,
                ast.ClassDef,
                ast.FunctionDef,
                ast.AsyncFunctionDef,
            ),
        ):
            first = node.body[0] if node.body else None
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
            ):
                first.value.value = " ".join(first.value.value.split())
    return ast.dump(tree) + (";" if quiet else "")


def _sort_import_runs(tree):
    """Put every run of consecutive import statements in one canonical
    order, one name per statement, as sorting imports (ruff's isort
    rules) may reorder, merge or split them."""
    import ast

    def one_per_name(statement):
        for alias in statement.names:
            if isinstance(statement, ast.Import):
                yield ast.Import(names=[alias])
            else:
                yield ast.ImportFrom(
                    module=statement.module,
                    names=[alias],
                    level=statement.level,
                )

    for node in ast.walk(tree):
        for field in ("body", "orelse", "finalbody"):
            statements = getattr(node, field, None)
            if not isinstance(statements, list):
                continue
            canonical, run = [], []
            for statement in [*statements, None]:
                if isinstance(statement, (ast.Import, ast.ImportFrom)):
                    run += one_per_name(statement)
                    continue
                canonical += sorted(run, key=ast.dump)
                run = []
                if statement is not None:
                    canonical.append(statement)
            setattr(node, field, canonical)


def _ends_with_semicolon(source):
    """Whether the last token of the code is a `;`, as IPython checks
    before it displays a cell's value."""
    import io
    import tokenize

    skip = {
        tokenize.NEWLINE,
        tokenize.NL,
        tokenize.COMMENT,
        tokenize.ENDMARKER,
        tokenize.INDENT,
        tokenize.DEDENT,
    }
    try:
        tokens = list(
            tokenize.generate_tokens(io.StringIO(source).readline)
        )
    except (tokenize.TokenError, SyntaxError):
        return False
    significant = [tok for tok in tokens if tok.type not in skip]
    return bool(significant) and significant[-1].string == ";"


# The code cells of a MyST source: the fence, the cell's options (`:key:
# value` lines and a blank line, or a YAML block between `---` lines),
# then the code up to the closing fence.
CODE_CELL = re.compile(
    r"^(?P<fence>`{3,})\{code-cell\}[^\n]*\n"
    r"(?P<options>(?::[^\n]*\n)+\n|---\n(?:.*?\n)?---\n)?"
    r"(?P<code>.*?)^(?P=fence)[ \t]*$",
    re.DOTALL | re.MULTILINE,
)
RUFF = (sys.executable, "-m", "ruff")


def code_spans(text, md_path):
    """(start, end) of every code cell's code in a MyST source, and of
    each lab solution's code (`SOLUTION_BLOCK`), which becomes a code
    cell of the solved copy. The cells are checked against jupytext's
    reading of the file, so a source this cannot read is never
    rewritten."""
    import jupytext

    cells = [m.span("code") for m in CODE_CELL.finditer(text)]
    read = [
        c.source
        for c in jupytext.reads(text, fmt="md:myst").cells
        if c.cell_type == "code"
    ]
    found = [text[a:b].rstrip("\n") for a, b in cells]
    if found != read:
        raise CourseError(
            f"{md_path}: its code cells could not be located for "
            "formatting. Fix: write each as a ```{code-cell} fence "
            "with its options, as jupytext writes them."
        )
    if is_lab_template(md_path):
        cells += [m.span(1) for m in SOLUTION_BLOCK.finditer(text)]
        cells.sort()
    return cells


def _code_cell_spans(text):
    return {m.span("code") for m in CODE_CELL.finditer(text)}


def _ruff(*args, stdin):
    import subprocess

    try:
        return subprocess.run(
            [*RUFF, *args],
            input=stdin,
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError:  # pragma: no cover
        raise CourseError("ruff is missing: pip install ruff") from None


def format_source(md_path, check=False):
    """Format the code cells of a MyST source with ruff at the settings
    of pyproject.toml ([tool.ruff]): `ruff format`, then the import
    sorting of `ruff check --fix --select I`. The cells go to ruff as
    one notebook, which is how ruff understands IPython's magics.

    Returns a list of problems: with `check`, the cells ruff would
    change and every finding of `ruff check`; without it, the findings
    that formatting cannot fix (long strings and comments, unused names,
    ...). Without `check` the .md is rewritten and its .ipynb synced
    (`sync` keeps the outputs of cells whose code is unchanged), and a
    lab's solved copy written again.
    """
    import json

    md_path = Path(md_path)
    text = md_path.read_text()
    spans = code_spans(text, md_path)
    if not spans:
        return []
    sources = [text[a:b].rstrip("\n") for a, b in spans]
    # ruff reads the settings of the file named here: the repository's
    stdin_name = str(md_path.resolve().with_suffix(".ipynb"))

    def as_notebook(cells):
        return json.dumps(
            {
                "cells": [
                    {
                        "cell_type": "code",
                        "id": f"cell{i}",
                        "metadata": {},
                        "execution_count": None,
                        "outputs": [],
                        "source": source,
                    }
                    for i, source in enumerate(cells)
                ],
                "metadata": {"language_info": {"name": "python"}},
                "nbformat": 4,
                "nbformat_minor": 5,
            }
        )

    def cells_of(output):
        return [
            "".join(c["source"]) for c in json.loads(output)["cells"]
        ]

    formatted = sources
    for args in (
        ("check", "--fix", "--select", "I", "--exit-zero"),
        ("format",),
    ):
        ran = _ruff(
            *args,
            "--quiet",
            "--stdin-filename",
            stdin_name,
            "-",
            stdin=as_notebook(formatted),
        )
        if ran.returncode != 0:
            raise CourseError(
                f"{md_path}: ruff {args[0]} "
                f"failed:\n{ran.stderr.strip()}"
            )
        formatted = cells_of(ran.stdout)
    lines = [text.count("\n", 0, a) + 1 for a, _ in spans]
    # Lint the notebook's own cells only: a lab's solutions are linted
    # in its solved copy, where they replace the TODO cells.
    own = [span in _code_cell_spans(text) for span in spans]
    lint_lines = [line for line, keep in zip(lines, own) if keep]
    lint_cells = [
        cell
        for cell, keep in zip(formatted if not check else sources, own)
        if keep
    ]
    problems = []
    if check:
        problems += [
            f"{md_path}:{line}: this cell is not formatted: run "
            "`make format`"
            for line, old, new in zip(lines, sources, formatted)
            if old != new
        ]
    linted = _ruff(
        "check",
        "--output-format",
        "json",
        "--exit-zero",
        "--stdin-filename",
        stdin_name,
        "-",
        stdin=as_notebook(lint_cells),
    )
    for finding in json.loads(linted.stdout or "[]"):
        cell = int(finding.get("cell") or 1) - 1
        row = lint_lines[cell] + finding["location"]["row"] - 1
        fixable = (
            " (`make format` fixes it)"
            if finding["code"] == "I001"
            else ""
        )
        problems.append(
            f"{md_path}:{row}: {finding['code']} {finding['message']}"
            f"{fixable}"
        )
    if not check and formatted != sources:
        pieces, last = [], 0
        for (a, b), old, new in zip(spans, sources, formatted):
            pieces += [text[last:a], new + text[a + len(old) : b]]
            last = b
        md_path.write_text("".join(pieces) + text[last:])
        if md_path.with_suffix(".ipynb").exists() or is_lab_template(
            md_path
        ):
            sync(md_path)
        if is_lab_template(md_path):
            write_solution(md_path)
    return problems


SOLUTION_BLOCK = re.compile(
    r"<summary>\s*Solution\s*</summary>.*?```python\n(.*?)```.*?</details>",
    re.DOTALL,
)


def solution_path(md_path):
    md_path = Path(md_path)
    return md_path.parent / SOLUTIONS / md_path.name


def solution_notebook(md_path):
    """The solution notebook of a lab template: each cell tagged
    `exercise` replaced by the code of the <details> solution block that
    follows it, which is then left out; the title says it is the
    solution, and a note links back to the lab."""
    import jupytext

    md_path = Path(md_path)
    notebook = jupytext.read(md_path)
    cells, pending = [], None
    for cell in notebook.cells:
        tags = cell.metadata.get("tags", [])
        if cell.cell_type == "code" and EXERCISE_TAG in tags:
            if pending is not None:
                raise CourseError(
                    f"{md_path}: an exercise cell has no <details> "
                    "solution before the next one."
                )
            pending = cell
            cell.metadata["tags"] = [
                t for t in tags if t != EXERCISE_TAG
            ] + ["solution"]
            cells.append(cell)
            continue
        found = (
            SOLUTION_BLOCK.search(cell.source)
            if cell.cell_type == "markdown"
            else None
        )
        if pending is not None and found:
            pending.source = found.group(1).strip()
            pending = None
            continue  # the solution is now the cell itself
        # the solved copy is one folder deeper
        if cell.cell_type == "markdown":
            cell.source = cell.source.replace("](../", "](../../")
        cells.append(cell)
    if pending is not None:
        raise CourseError(
            f"{md_path}: the last exercise cell has no <details> "
            "solution after it."
        )
    title = cells[0]
    if not title.source.startswith("# "):
        raise CourseError(
            f"{md_path}: the first cell must be the title ('# Lab N: "
            "...')."
        )
    heading, _, rest = title.source.partition("\n")
    title.source = (
        f"{heading} (solved)\n\nThis is the solved copy of [the "
        f"lab](../{md_path.stem}.ipynb): every TODO cell holds the "
        "code "
        "of the solution under it, and every check passes. It is "
        "written from the lab by `make sync`; edit the lab, never this "
        "copy." + ("\n" + rest if rest else "")
    )
    notebook.cells = cells
    return notebook


def write_solution(md_path):
    """Write labs/solutions/NN_topic.md from the lab and sync its
    .ipynb."""
    import jupytext

    target = solution_path(md_path)
    target.parent.mkdir(exist_ok=True)
    jupytext.write(solution_notebook(md_path), target, fmt="md:myst")
    return sync(target)


def execute(md_path, profile):
    """Execute one notebook with papermill in `profile` and return its
    run time.

    The run goes to a temporary file; only a run that succeeded replaces
    the committed .ipynb, so a failure never loses the stored outputs. A
    failure raises CourseError naming the notebook, the error, and where
    the failed copy was kept.
    """
    import shutil
    import tempfile

    import nbformat
    import papermill

    if is_lab_template(md_path):
        raise CourseError(
            f"{md_path} is a lab template and stops at its first "
            "check by design. Fix: execute its solution, "
            f"{solution_path(md_path)}."
        )
    ipynb_path = sync(md_path)
    # the kernel inherits it; no injected cell needed
    os.environ[PROFILE_ENV] = profile
    scratch = (
        Path(tempfile.mkdtemp(prefix="bertcourse-execute-"))
        / ipynb_path.name
    )
    start = time.perf_counter()
    try:
        papermill.execute_notebook(
            str(ipynb_path),
            str(scratch),
            kernel_name="python3",
            cwd=str(ipynb_path.parent),
            progress_bar=False,
        )
    except papermill.PapermillExecutionError as error:
        raise CourseError(
            f"{ipynb_path} failed in the {profile} profile at cell "
            f"{error.exec_count}: {error.ename}: {error.evalue}\n  "
            "The committed notebook is unchanged; the failed run is "
            f"kept in {scratch}"
        ) from None
    seconds = time.perf_counter() - start
    notebook = nbformat.read(scratch, as_version=4)
    # Keep the diff of a re-execution to the outputs: drop papermill's
    # timestamps.
    notebook.metadata.pop("papermill", None)
    for cell in notebook.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
    notebook.metadata[METADATA_KEY] = {
        "profile": profile,
        "run_seconds": round(seconds, 1),
        "date": time.strftime("%Y-%m-%d", time.gmtime()),
        "device": executing_device(),
        "versions": library_versions(),
    }
    nbformat.write(notebook, scratch)
    shutil.move(scratch, ipynb_path)
    shutil.rmtree(scratch.parent, ignore_errors=True)
    return seconds


INSTALL_URL = re.compile(r'git\+https://[^"\s]+')


def repository_url(config_path=Path("_config.yml")):
    """The repository URL, set once in the book's _config.yml
    (repository.url)."""
    import yaml

    return yaml.safe_load(Path(config_path).read_text())["repository"][
        "url"
    ]


def set_repository_url(md_path, url):
    """Point the Colab install cell of a notebook source at `url`; True
    if it changed."""
    md_path = Path(md_path)
    text = md_path.read_text()
    updated = INSTALL_URL.sub(f"git+{url}", text)
    md_path.write_text(updated)
    return updated != text


def executing_device():
    """The device the notebooks run on, in a few words: the GPU's name,
    or the CPU's."""
    import torch

    if torch.cuda.is_available():
        return torch.cuda.get_device_name(0)
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next(
                line.split(":", 1)[1].strip()
                for line in info
                if line.startswith("model name")
            )
    except (OSError, StopIteration):
        import platform

        cpu = platform.processor() or platform.machine()
    return f"CPU: {cpu}, {os.cpu_count()} cores"


# The libraries whose versions change what a notebook shows; the status
# page lists the first three, the metadata keeps them all.
VERSIONED = (
    "torch",
    "transformers",
    "datasets",
    "tokenizers",
    "accelerate",
)
SHOWN_VERSIONS = VERSIONED[:3]


def library_versions():
    """{distribution: version} of VERSIONED in this environment, as the
    kernel that ran the notebook saw them (same environment: papermill
    starts the kernel from it)."""
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for name in VERSIONED:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    return found


def _no_break(date):
    """A date that does not wrap in a narrow column: non-breaking
    hyphens (U+2011)."""
    return date.replace("-", "\u2011")


STATUS_PAGE = Path("book/status.md")
NOTEBOOK_FOLDERS = [
    Path("notebooks"),
    Path(LABS),
    Path(LABS) / SOLUTIONS,
]


def status_page(folders):
    """The book's status page: when, where, in which profile, with which
    library versions and how fast each notebook's stored outputs were
    made, from its metadata; each name links to its page."""
    import nbformat

    rows = []
    for md in notebook_sources(folders):
        if is_lab_template(md):
            continue  # stored unexecuted; its solution is listed
        ipynb = md.with_suffix(".ipynb")
        meta = (
            nbformat.read(ipynb, as_version=4).metadata.get(
                METADATA_KEY, {}
            )
            if ipynb.exists()
            else {}
        )
        recorded = meta.get("versions", {})
        versions = (
            " ".join(
                f"{recorded.get(name, 'not recorded')}"
                for name in SHOWN_VERSIONS
            )
            if recorded
            else "not recorded"
        )
        rows.append(
            f"| {{doc}}`../{ipynb.with_suffix('').as_posix()}` "
            f"| {_no_break(meta.get('date', 'not recorded'))} "
            f"| {meta.get('profile', 'not executed')} | "
            f"{meta.get('device', 'not recorded')} "
            f"| {versions} | {meta.get('run_seconds', '')} |"
        )
    return "\n".join(
        [
            "# Status: when each notebook last ran",
            "",
            (
                "Written by `make execute` from each notebook's "
                "metadata: when its stored outputs"
            ),
            (
                "were made, in which profile (the one `pytest "
                "--nbval` runs it in), on which device,"
            ),
            (
                f"with which versions of {', '.join(SHOWN_VERSIONS)} "
                "(in that order), and how long the"
            ),
            (
                "run took there. A notebook executed before the "
                "versions "
                'were recorded says "not'
            ),
            (
                'recorded". How to read this page before a cohort: '
                "{doc}`instructors`."
            ),
            "",
            (
                "| notebook | date (UTC) | profile | device | "
                f"{' / '.join(SHOWN_VERSIONS)} | run time (s) |"
            ),
            "|---|---|---|---|---|---|",
            *rows,
            "",
        ]
    )


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m bertcourse.notebooks",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser(
        "execute", help="sync, execute in place and record the profile"
    )
    run.add_argument(
        "--profile", default=None, help=f"one of {', '.join(PROFILES)}"
    )
    run.add_argument("paths", nargs="+", type=Path)
    sub.add_parser(
        "sync", help="write each .ipynb from its .md"
    ).add_argument("paths", nargs="+", type=Path)
    sub.add_parser(
        "check", help="report pairs out of sync"
    ).add_argument("folders", nargs="+", type=Path)
    sub.add_parser(
        "solutions",
        help="write labs/solutions/ from the labs (the TODO cells "
        "solved)",
    ).add_argument("paths", nargs="+", type=Path)
    sub.add_parser(
        "set-repo-url",
        help="point every install cell at _config.yml's repository.url",
    ).add_argument("paths", nargs="+", type=Path)
    formatting = sub.add_parser(
        "format",
        help="format the code cells of each .md with ruff, sync its "
        ".ipynb",
    )
    formatting.add_argument(
        "--check",
        action="store_true",
        help=(
            "change nothing; exit 1 if a cell needs formatting or "
            "fails ruff check"
        ),
    )
    formatting.add_argument("paths", nargs="+", type=Path)
    args = parser.parse_args(argv)

    try:
        if args.command == "execute":
            profile = resolve_profile(args.profile)
            failed = []
            for path in args.paths:
                print(
                    f"executing {path} in the {profile} profile ...",
                    flush=True,
                )
                try:
                    seconds = execute(path.with_suffix(".md"), profile)
                    print(f"  done in {seconds:.1f} s", flush=True)
                except CourseError as error:
                    print(
                        f"  FAILED: {error}",
                        file=sys.stderr,
                        flush=True,
                    )
                    failed.append(path)
            STATUS_PAGE.write_text(status_page(NOTEBOOK_FOLDERS))
            if failed:
                print(
                    f"error: {len(failed)} notebook(s) failed: "
                    + ", ".join(map(str, failed)),
                    file=sys.stderr,
                )
                return 1
        elif args.command == "set-repo-url":
            url = repository_url()
            for path in args.paths:
                if set_repository_url(path.with_suffix(".md"), url):
                    print(
                        f"{path.with_suffix('.md')}: install cell now "
                        f"uses {url}"
                    )
                print(f"wrote {sync(path.with_suffix('.md'))}")
        elif args.command == "solutions":
            for path in args.paths:
                print(
                    f"wrote {write_solution(path.with_suffix('.md'))}"
                )
        elif args.command == "format":
            problems = []
            for path in args.paths:
                problems += format_source(
                    path.with_suffix(".md"), check=args.check
                )
            print("\n".join(problems) or "all code cells formatted")
            return 1 if problems else 0
        elif args.command == "sync":
            for path in args.paths:
                print(f"wrote {sync(path.with_suffix('.md'))}")
        else:
            problems = [
                p
                for md in notebook_sources(args.folders)
                for p in pair_problems(md)
            ]
            print("\n".join(problems) or "all pairs in sync")
            return 1 if problems else 0
    except CourseError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


# Used by the root conftest.py: strict nbval, with one allowance for
# another CPU.
_DECIMAL = re.compile(r"(\d+\.\d+)")


def same_but_last_digits(reference, output):
    """Whether `output` equals `reference` except decimals one unit
    apart in the last digit."""
    ref_parts, out_parts = (
        _DECIMAL.split(reference),
        _DECIMAL.split(output),
    )
    if len(ref_parts) != len(out_parts):
        return False
    for i, (ref, out) in enumerate(zip(ref_parts, out_parts)):
        if ref == out:
            continue
        # re.split puts the captured decimals at odd places
        is_decimal = i % 2 == 1
        if not is_decimal or len(ref.split(".")[1]) != len(
            out.split(".")[1]
        ):
            return False
        if (
            abs(int(ref.replace(".", "")) - int(out.replace(".", "")))
            != 1
        ):
            return False
    return True


if __name__ == "__main__":
    sys.exit(main())
