"""The course profile, rehearsed offline: every chapter and lab solution
runs its `course` code path against stand-ins for the hub
(bertcourse.rehearsal), and nothing differs between the profiles' code
paths but the download and the caps."""

import ast
import os
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from bertcourse import registry, rehearsal
from bertcourse.notebooks import is_lab_template, notebook_sources
from bertcourse.profiles import PROFILES

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = [
    md.with_suffix(".ipynb")
    for md in notebook_sources(
        [ROOT / "notebooks", ROOT / "labs" / "solutions"]
    )
    if not is_lab_template(md)
]


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("rehearsal")


def code_outputs(notebook):
    return "".join(
        o.get("text", "")
        for c in notebook.cells
        if c.cell_type == "code"
        for o in c.outputs
    )


@pytest.mark.parametrize(
    "notebook", NOTEBOOKS, ids=lambda p: p.relative_to(ROOT).as_posix()
)
def test_course_profile_runs_in_the_rehearsal(notebook, folder):
    start = time.perf_counter()
    executed = rehearsal.execute(notebook, folder)
    seconds = time.perf_counter() - start
    text = code_outputs(executed)
    assert "[bertcourse] profile=course | device=cpu" in text
    assert "[bertcourse] REHEARSAL: stand-ins" in text
    # One code path: every code cell the smoke run executed ran here
    # too, and no other.
    stored = nbformat.read(notebook, as_version=4)
    ran = [
        c.source
        for c in executed.cells
        if c.cell_type == "code" and c.execution_count
    ]
    assert ran == [
        c.source
        for c in stored.cells
        if c.cell_type == "code" and c.execution_count
    ]
    print(f"{notebook.name}: {seconds:.0f} s")


def test_rehearsal_dataset_checks_the_registrys_arguments():
    with pytest.raises(AssertionError, match="does not name"):
        # the short id the registry does not use
        rehearsal.load_hub_dataset("glue", "sst2")
    with pytest.raises(AssertionError, match="does not name"):
        # the loading script, not the parquet revision
        rehearsal.load_hub_dataset("eriktks/conll2003")
    conll = rehearsal.load_hub_dataset(
        "eriktks/conll2003", revision="refs/convert/parquet"
    )
    assert list(conll) == ["train", "validation", "test"]
    assert conll["train"].features["ner_tags"].feature.names == [
        "O",
        "B-PER",
        "I-PER",
        "B-ORG",
        "I-ORG",
        "B-LOC",
        "I-LOC",
        "B-MISC",
        "I-MISC",
    ]
    sst2 = rehearsal.load_hub_dataset("nyu-mll/glue", "sst2")
    assert list(sst2) == ["train", "validation", "test"]
    # GLUE hides its test labels
    assert set(sst2["test"]["label"]) == {-1}
    assert sst2["train"].features["label"].names == [
        "negative",
        "positive",
    ]
    assert list(sst2["train"].features) == ["sentence", "label", "idx"]
    squad = rehearsal.load_hub_dataset("rajpurkar/squad")
    assert list(squad) == ["train", "validation"]
    assert list(squad["train"].features) == [
        "id",
        "title",
        "context",
        "question",
        "answers",
    ]


def course_tables(rehearsing):
    """The registry's course-profile tables as a fresh process sees
    them."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k != registry.REHEARSAL_ENV
    }
    if rehearsing:
        env[registry.REHEARSAL_ENV] = "1"
    code = (
        "from bertcourse import registry as r; "
        "print(repr({t: getattr(r, t)['course'] for t in "
        "('SPLIT_SIZES', 'TRAINING', 'EXPERIMENTS', "
        "'DISTILLATION', 'BENCHMARK', 'SUCCESSORS')}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return eval(out.stdout)


def test_rehearsal_changes_only_the_listed_caps():
    real, rehearsed = course_tables(False), course_tables(True)
    differences = {}
    for table, entries in real.items():
        for key, value in entries.items():
            if rehearsed[table][key] != value:
                differences.setdefault(table, {})[key] = rehearsed[
                    table
                ][key]
    expected = {
        table: {
            key: (
                {**real[table][key], **value}
                if isinstance(value, dict)
                else value
            )
            for key, value in caps.items()
        }
        for table, caps in registry.REHEARSAL_CAPS.items()
    }
    assert differences == expected
    # the training recipe (epochs, batch sizes, lengths, learning rates)
    # is never capped
    assert rehearsed["TRAINING"] == real["TRAINING"]


# Where the package may look at a profile's name: loading checkpoints
# and datasets (the download), and saying what was loaded. Every other
# difference lives in the registry.
LOADING = {
    "checkpoint_name",
    "tokenizer",
    "model",
    "checkpoint",
    "banner",
    "has_masked_lm_head",
    "dataset_label",
    "load_dataset",
    "check_requirements",
    "setup",
}


def test_the_package_branches_on_a_profile_name_only_where_it_loads():
    names = set(PROFILES)
    for path in (ROOT / "src" / "bertcourse").rglob("*.py"):
        if path.name in {"profiles.py", "registry.py", "notebooks.py"}:
            continue  # they define, choose and record profiles
        tree = ast.parse(path.read_text())
        for function in ast.walk(tree):
            if not isinstance(
                function, (ast.FunctionDef, ast.AsyncFunctionDef)
            ):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.Compare):
                    constants = {
                        c.value
                        for c in ast.walk(node)
                        if isinstance(c, ast.Constant)
                    }
                    if constants & names:
                        assert function.name in LOADING, (
                            f"{path.name}:{node.lineno} "
                            f"{function.name}() compares with a "
                            "profile name"
                        )
