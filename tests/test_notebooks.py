"""The notebook pairs and what every notebook must have; one papermill run."""

import re
from pathlib import Path

import nbformat
import pytest
import yaml

from bertcourse.notebooks import METADATA_KEY, notebook_sources, pair_problems
from bertcourse.profiles import PROFILES

ROOT = Path(__file__).resolve().parents[1]
SOURCES = notebook_sources([ROOT / "notebooks", ROOT / "labs"])
CHAPTER_ONE = ROOT / "notebooks" / "01_bert_in_five_minutes.ipynb"


def test_there_are_notebooks():
    assert CHAPTER_ONE.with_suffix(".md") in SOURCES


def test_every_ipynb_has_its_md():
    for folder in ("notebooks", "labs"):
        for ipynb in (ROOT / folder).glob("*.ipynb"):
            assert ipynb.with_suffix(".md").exists(), f"{ipynb} has no .md source"


@pytest.mark.parametrize("md", SOURCES, ids=lambda p: p.name)
def test_pair_is_in_sync_and_records_its_profile(md):
    assert pair_problems(md) == []


@pytest.mark.parametrize("md", SOURCES, ids=lambda p: p.name)
def test_notebook_has_one_parameters_cell_and_a_banner(md):
    notebook = nbformat.read(md.with_suffix(".ipynb"), as_version=4)
    assert notebook.metadata[METADATA_KEY]["profile"] in PROFILES
    parameter_cells = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(parameter_cells) == 1 and "profile = None" in parameter_cells[0].source
    outputs = [o.get("text", "") for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    banner = f"[bertcourse] profile={notebook.metadata[METADATA_KEY]['profile']} |"
    # The banner shows the profile the outputs were made in; it must be the recorded one,
    # which is the profile tests/conftest.py runs the notebook in.
    assert any(text.startswith(banner) for text in outputs), f"no banner starting {banner!r}"
    assert not any(o.output_type == "error" for c in notebook.cells if c.cell_type == "code" for o in c.outputs)


@pytest.mark.parametrize("md", SOURCES, ids=lambda p: p.name)
def test_colab_install_cell_uses_the_books_repository(md):
    url = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
    first_code = next(c for c in nbformat.read(md.with_suffix(".ipynb"), as_version=4).cells
                      if c.cell_type == "code")
    assert 'if "google.colab" in sys.modules:' in first_code.source
    assert re.search(rf'git\+{re.escape(url)}"', first_code.source), \
        f"the install cell must install from repository.url in _config.yml ({url}): run `make repo-url`"
    assert "torch" not in first_code.source.split("modules:")[1]  # keep Colab's torch


def test_changed_source_is_reported(tmp_path):
    md = tmp_path / CHAPTER_ONE.with_suffix(".md").name
    md.write_text(CHAPTER_ONE.with_suffix(".md").read_text().replace("profile = None", "profile = 'smoke'"))
    (tmp_path / CHAPTER_ONE.name).write_bytes(CHAPTER_ONE.read_bytes())
    assert "differ" in pair_problems(md)[0]
    (tmp_path / CHAPTER_ONE.name).unlink()
    assert "missing" in pair_problems(md)[0]


def test_papermill_runs_chapter_one_in_the_smoke_profile(tmp_path):
    import papermill

    out = tmp_path / "out.ipynb"
    papermill.execute_notebook(str(CHAPTER_ONE), str(out), parameters={"profile": "smoke"},
                               kernel_name="python3", cwd=str(CHAPTER_ONE.parent), progress_bar=False)
    text = "".join(o.get("text", "") for c in nbformat.read(out, as_version=4).cells
                   if c.cell_type == "code" for o in c.outputs)
    assert "[bertcourse] profile=smoke | device=cpu" in text
    assert "word embedding matrix V x H = 23,440,896 parameters" in text


def test_papermill_with_an_unknown_profile_fails_with_the_valid_names(tmp_path):
    import papermill

    with pytest.raises(papermill.PapermillExecutionError) as error:
        papermill.execute_notebook(str(CHAPTER_ONE), str(tmp_path / "out.ipynb"),
                                   parameters={"profile": "fast"}, kernel_name="python3",
                                   cwd=str(CHAPTER_ONE.parent), progress_bar=False)
    assert "Unknown profile 'fast'" in str(error.value) and "smoke" in str(error.value)


def test_status_page_matches_the_notebooks_metadata():
    from bertcourse.notebooks import STATUS_PAGE, status_page

    expected = status_page([ROOT / "notebooks", ROOT / "labs"]).replace(f"{ROOT.as_posix()}/", "")
    assert (ROOT / STATUS_PAGE).read_text() == expected, "book/status.md is stale: run `make execute`"


def test_set_repository_url_rewrites_the_install_cell(tmp_path):
    from bertcourse.notebooks import set_repository_url

    md = tmp_path / "chapter.md"
    md.write_text(CHAPTER_ONE.with_suffix(".md").read_text())
    assert set_repository_url(md, "https://example.org/fork/course") is True
    assert '"bertcourse @ git+https://example.org/fork/course"' in md.read_text()
    assert set_repository_url(md, "https://example.org/fork/course") is False
