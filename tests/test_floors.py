"""The metric floors of the course profile (bertcourse.floors): every
floor cites its source and margin, the reader finds myst_nb's glued
values in an executed notebook, and the comparison fails with a message
naming notebook, metric, value and floor."""

import nbformat
import pytest
from nbclient import NotebookClient

from bertcourse import floors
from bertcourse.floors import (
    FLOORS,
    Floor,
    check_folder,
    compare,
    glued_values,
)


def test_every_floor_cites_a_source_and_a_margin():
    for f in FLOORS:
        assert f.source and f.why_margin, f.key
        assert f.margin > 0, f.key
        expected = (
            f.published + f.margin
            if f.at_most
            else f.published - f.margin
        )
        assert f.floor == pytest.approx(expected), f.key


def test_the_floors_are_the_published_numbers_checked_at_their_source():
    published = {f.key: (f.published, f.floor) for f in FLOORS}
    # fairseq README, dev
    assert published["sst2_accuracy"] == (0.948, pytest.approx(0.918))
    # model card
    assert published["conll2003_entity_f1"] == (
        0.9338,
        pytest.approx(0.9088),
    )
    # DistilBERT Table 2
    assert published["squad_exact_match"] == (77.7, pytest.approx(67.7))
    # DistilBERT Table 2
    assert published["squad_f1"] == (85.8, pytest.approx(77.8))
    # Table 1
    assert published["distilled_student_accuracy"] == (
        0.913,
        pytest.approx(0.883),
    )
    # 94.8 - 91.3
    assert published["distillation_drop"] == (
        0.035,
        pytest.approx(0.055),
    )


def test_every_glue_key_the_notebooks_need_is_named():
    needed = {
        key
        for f in FLOORS
        for key in floors.DERIVED.get(f.key, (f.key,))
    }
    assert needed == {
        "sst2_accuracy",
        "conll2003_entity_f1",
        "squad_exact_match",
        "squad_f1",
        "teacher_accuracy",
        "distilled_student_accuracy",
    }


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """A small notebook that glues as chapter 9 will, executed by a real
    kernel: the outputs are exactly what myst_nb.glue writes (numpy 2
    floats included)."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell(
            "import numpy as np\nfrom myst_nb import "
            "glue\nglue('teacher_accuracy', np.float64(0.94), "
            "display=False)\nglue('distilled_student_accuracy', 0.905, "
            "display=False)\nglue('shown', 'a string', display=True)"
        )
    ]
    NotebookClient(
        notebook, kernel_name="python3", timeout=120
    ).execute()
    path = tmp_path_factory.mktemp("executed") / "09_distillation.ipynb"
    nbformat.write(notebook, path)
    return path


def test_the_reader_returns_the_glued_values(executed):
    outputs = nbformat.read(executed, as_version=4).cells[0].outputs
    assert (
        outputs[0].metadata["scrapbook"]["mime_prefix"]
        == floors.GLUE_PREFIX
    )
    assert glued_values(executed) == {
        "teacher_accuracy": 0.94,
        "distilled_student_accuracy": 0.905,
        "shown": "a string",
    }


def test_a_notebook_above_its_floors_passes(executed):
    results = compare("09_distillation", glued_values(executed))
    assert [r.floor.key for r in results] == [
        "distilled_student_accuracy",
        "distillation_drop",
    ]
    assert all(r.ok for r in results), [r.problem for r in results]
    assert results[1].value == pytest.approx(0.035)


def test_a_value_under_its_floor_fails_with_a_message_that_names_it():
    [result] = compare(
        "06_sentiment_sst2_roberta", {"sst2_accuracy": 0.9}
    )
    assert not result.ok
    for part in (
        "06_sentiment_sst2_roberta",
        "accuracy on SST-2 validation",
        "0.9",
        "0.918",
        "below its floor",
    ):
        assert part in result.problem


def test_a_drop_above_its_ceiling_fails():
    values = {
        "teacher_accuracy": 0.95,
        "distilled_student_accuracy": 0.88,
    }
    results = compare("09_distillation", values)
    # 0.88 < 0.883, and 0.07 > 0.055
    assert [r.ok for r in results] == [False, False]
    assert "above its ceiling 0.055" in results[1].problem


def test_a_missing_key_says_which_and_how_to_glue_it():
    [result] = compare("07_ner_conll_albert", {"something_else": 1.0})
    assert not result.ok and result.value is None
    assert "'conll2003_entity_f1' missing" in result.problem
    assert (
        "myst_nb.glue('conll2003_entity_f1', value, display=False)"
        in result.problem
    )


def test_check_folder_and_the_command(executed, capsys):
    folder = executed.parent
    results = check_folder(folder)
    missing = [
        r for r in results if r.floor.notebook != "09_distillation"
    ]
    assert missing and all(
        "no executed notebook" in r.problem for r in missing
    )
    assert floors.main(["check", str(folder)]) == 1
    printed = capsys.readouterr().out
    assert "09_distillation" in printed and "FAIL" in printed


def test_a_custom_floor_table():
    ceiling = Floor(
        "x", "k", "metric", 1.0, 0.5, "source", "why", at_most=True
    )
    assert (
        ceiling.floor == 1.5
        and ceiling.passes(1.5)
        and not ceiling.passes(1.6)
    )
