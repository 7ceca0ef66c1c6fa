"""The SST-2 helpers of chapter 6 and the hand-written challenge set
shipped as package data."""

import subprocess
import sys
import zipfile
from importlib import resources
from pathlib import Path

import pytest

from bertcourse import minidata, sentiment

ROOT = Path(__file__).resolve().parents[1]


def test_challenge_set_loads_from_the_package_in_the_sst2_schema():
    assert (
        resources.files("bertcourse")
        .joinpath("data", sentiment.CHALLENGE_FILE)
        .is_file()
    )
    challenge = sentiment.challenge_set()
    assert challenge.features == minidata.sst2()["validation"].features
    assert 40 <= len(challenge) <= 60
    assert list(challenge["idx"]) == list(range(len(challenge)))
    labels = challenge["label"]
    assert (
        set(labels) == {0, 1}
        and abs(2 * sum(labels) - len(labels)) <= 2
    )
    sentences = challenge["sentence"]
    assert len(set(sentences)) == len(sentences)
    # GLUE's trailing space
    assert all(s.endswith(" ") and s.strip() for s in sentences)


def test_challenge_set_is_not_from_the_generator():
    generated = {
        s
        for split in minidata.sst2().values()
        for s in split["sentence"]
    }
    assert not generated & set(sentiment.challenge_set()["sentence"])


def test_a_built_wheel_ships_the_challenge_set(tmp_path):
    # What `pip install git+...` installs in Colab is a wheel built from
    # pyproject.toml. Build from a copy, so the build leaves nothing
    # behind in the working tree.
    import shutil

    source = tmp_path / "source"
    shutil.copytree(
        ROOT / "src",
        source / "src",
        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"),
    )
    shutil.copy(ROOT / "pyproject.toml", source)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path / "dist"),
            str(source),
        ],
        check=True,
        timeout=300,
        capture_output=True,
    )
    wheel = next((tmp_path / "dist").glob("bertcourse-*.whl"))
    assert (
        f"bertcourse/data/{sentiment.CHALLENGE_FILE}"
        in zipfile.ZipFile(wheel).namelist()
    )


def test_metrics_and_baseline_on_hand_computed_cases():
    import numpy as np

    logits = np.array([[2.0, 0.0], [0.0, 1.0], [0.0, 3.0], [1.0, 0.0]])
    metrics = sentiment.compute_metrics(
        (logits, np.array([0, 1, 0, 1]))
    )
    assert metrics["accuracy"] == pytest.approx(0.5)
    # precision 1/2, recall 1/2
    assert metrics["f1"] == pytest.approx(0.5)
    assert sentiment.majority_baseline([1, 1, 0], [0, 1, 1, 1]) == (
        1,
        0.75,
    )


def test_wilson_interval():
    low, high = sentiment.wilson_interval(50, 100)
    assert low == pytest.approx(
        0.4038, abs=1e-4
    ) and high == pytest.approx(0.5962, abs=1e-4)
    low, high = sentiment.wilson_interval(10, 10)
    # never above 1, unlike p ± z·se
    assert high == pytest.approx(1.0) and 0.69 < low < 0.73


def test_challenge_set_shares_no_six_words_with_the_generator():
    """The challenge set tests what the mini set did not teach: no
    sentence of it shares six consecutive words with any generated
    sentence (any split)."""

    def runs(sentence, n=6):
        words = sentence.split()
        return {
            tuple(words[i : i + n]) for i in range(len(words) - n + 1)
        }

    generated = set().union(
        *(
            runs(s)
            for split in minidata.sst2().values()
            for s in split["sentence"]
        )
    )
    shared = [
        s
        for s in sentiment.challenge_set()["sentence"]
        if runs(s) & generated
    ]
    assert shared == []


def test_datasheet_sst2_shares_and_lengths():
    """book/mini_datasets.md: mean lengths, contrast and negation shares
    of mini SST-2."""
    import re

    # one line
    page = " ".join(
        (ROOT / "book" / "mini_datasets.md").read_text().split()
    )
    data = minidata.sst2()
    for split, name in (
        ("train", "train"),
        ("validation", "validation"),
        ("test", "test (labels hidden, all −1)"),
    ):
        words = [len(s.split()) for s in data[split]["sentence"]]
        assert (
            f"| {name} | 125 | 125 | {sum(words) / len(words):.1f} |"
            in page
            or f"| {name} | 500 | 500 | {sum(words) / len(words):.1f} |"
            in page
        ), split
    train = data["train"]["sentence"]
    contrast = sum(
        bool(re.search(r" , (but|yet|though|even if) |^although ", s))
        for s in train
    ) / len(train)
    negation = sum(
        bool(
            re.search(r"\b(not|never|hardly|far from|n't|rarely)\b", s)
        )
        for s in train
    ) / len(train)
    assert (
        "About a third of the training sentences are contrasts" in page
        and 0.28 <= contrast <= 0.38
    )
    assert (
        "about three in ten contain a negation word" in page
        and 0.27 <= negation <= 0.33
    )
    held = set(minidata.POS_ADJ_HELD_OUT + minidata.NEG_ADJ_HELD_OUT)
    share = (
        sum(
            bool(set(s.split()) & held)
            for s in data["validation"]["sentence"]
        )
        / 250
    )
    assert (
        "about a fifth of the validation" in page
        and 0.15 <= share <= 0.25
    )
