"""The labs: each template stops at its first check with the intended
message; each solution under a task is the code of the solved notebook;
the shape every lab shares."""

import re
from pathlib import Path

import jupytext
import nbformat
import pytest

from bertcourse.notebooks import (
    EXERCISE_TAG,
    notebook_sources,
    solution_notebook,
    solution_path,
    source_cells,
)

ROOT = Path(__file__).resolve().parents[1]
LABS = notebook_sources([ROOT / "labs"])

# What each template says when run as it is: the first check meets the
# first TODO stub.
FIRST_STOP = {
    "01_masking_and_tokenizers": "mask_tokens is not written yet",
    "02_parameter_accounting": "bert_parameters is not written yet",
    "03_sentiment_errors": "compute_metrics is not written yet",
    "04_ner_alignment": "align_labels is not written yet",
    "05_qa_postprocessing": "best_span is not written yet",
    "06_distil_and_benchmark": "distillation_loss is not written yet",
}
DETAILS_CODE = re.compile(
    r"<summary>\s*Solution\s*</summary>.*?```python\n(.*?)```.*?</details>",
    re.DOTALL,
)


def test_there_are_six_labs():
    assert [md.stem for md in LABS] == list(FIRST_STOP)


@pytest.mark.parametrize("md", LABS, ids=lambda p: p.stem)
def test_template_stops_at_its_first_check_with_the_intended_message(
    md, tmp_path
):
    import papermill

    with pytest.raises(papermill.PapermillExecutionError) as error:
        papermill.execute_notebook(
            str(md.with_suffix(".ipynb")),
            str(tmp_path / "out.ipynb"),
            parameters={"profile": "smoke"},
            kernel_name="python3",
            cwd=str(md.parent),
            progress_bar=False,
        )
    assert error.value.ename == "CheckFailed"
    assert (
        FIRST_STOP[md.stem] in error.value.evalue
        and "Hint:" in error.value.evalue
    )
    executed = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    code = [c for c in executed.cells if c.cell_type == "code"]
    failed = next(
        c
        for c in code
        if any(o.output_type == "error" for o in c.outputs)
    )
    # it stopped at a check, not before
    assert failed.source.startswith("check.")
    first_exercise = next(
        i
        for i, c in enumerate(code)
        if EXERCISE_TAG in c.metadata.get("tags", [])
    )
    assert code.index(failed) == first_exercise + 1


@pytest.mark.parametrize("md", LABS, ids=lambda p: p.stem)
def test_each_task_is_a_todo_then_a_check_then_a_collapsed_solution(md):
    cells = jupytext.read(md).cells
    exercises = [
        i
        for i, c in enumerate(cells)
        if EXERCISE_TAG in c.metadata.get("tags", [])
    ]
    assert len(exercises) >= 2
    for i in exercises:
        assert "TODO" in cells[i].source
        assert cells[i + 1].cell_type == "code" and cells[
            i + 1
        ].source.startswith("check.")
        assert cells[
            i + 2
        ].cell_type == "markdown" and DETAILS_CODE.search(
            cells[i + 2].source
        )
    text = "\n".join(
        c.source for c in cells if c.cell_type == "markdown"
    )
    assert (
        "**Expected time**" in text
        and "`smoke`" in text
        and "`course`" in text
    )


@pytest.mark.parametrize("md", LABS, ids=lambda p: p.stem)
def test_the_solution_notebook_runs_exactly_the_code_under_each_task(
    md,
):
    template = jupytext.read(md).cells
    shown = [
        DETAILS_CODE.search(c.source).group(1).strip()
        for c in template
        if c.cell_type == "markdown" and DETAILS_CODE.search(c.source)
    ]
    solved = nbformat.read(
        solution_path(md).with_suffix(".ipynb"), as_version=4
    )
    ran = [
        c.source.strip()
        for c in solved.cells
        if "solution" in c.metadata.get("tags", [])
    ]
    assert ran == shown
    # and the rest of the solved copy is the lab itself, as `make sync`
    # writes it
    assert source_cells(
        jupytext.read(solution_path(md))
    ) == source_cells(solution_notebook(md))
    assert all("TODO" not in source for source in ran)


# Every lab has a task where the learner decides something, graded by a
# rubric the learner reads after deciding (folded, so that it does not
# give the decision away first).
SELF_CHECK = re.compile(
    r"<details>\s*<summary>\s*Self-check[^<]*</summary>(.*?)</details>",
    re.DOTALL,
)


@pytest.mark.parametrize("md", LABS, ids=lambda p: p.stem)
def test_a_decision_task_has_a_folded_rubric(md):
    rubrics = SELF_CHECK.findall(md.read_text())
    assert rubrics, (
        f"{md.stem} has no <details><summary>Self-check ...</summary> "
        "rubric"
    )
    assert all(
        len(re.findall(r"^\d\. ", rubric, re.MULTILINE)) >= 3
        for rubric in rubrics
    )


def test_the_readme_lists_every_lab():
    readme = (ROOT / "labs" / "README.md").read_text()
    for md in LABS:
        assert f"{md.stem}.ipynb" in readme


def test_pair_check_wants_templates_unexecuted_and_their_solved_copy_current(  # noqa: E501
    tmp_path,
):
    import shutil

    from bertcourse.notebooks import pair_problems, sync, write_solution

    labs = tmp_path / "labs"
    labs.mkdir()
    md = labs / LABS[0].name
    shutil.copy(LABS[0], md)
    sync(md)
    write_solution(md)
    assert pair_problems(md) == []
    # an executed template is reported
    notebook = nbformat.read(md.with_suffix(".ipynb"), as_version=4)
    first_code = next(
        c for c in notebook.cells if c.cell_type == "code"
    )
    first_code.execution_count = 1
    nbformat.write(notebook, md.with_suffix(".ipynb"))
    assert "stored unexecuted" in pair_problems(md)[0]
    sync(md)
    # a solution edited in the lab but not written to the solved copy is
    # reported
    md.write_text(
        md.read_text().replace(
            "return len(tokens) / len(text.split())",
            "return len(tokens) / max(1, len(text.split()))",
        )
    )
    sync(md)
    assert "is not the solution notebook" in pair_problems(md)[0]
