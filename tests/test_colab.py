"""Colab's first click, simulated: a notebook opened from its Colab link
in a fresh runtime that has Colab's own package versions
(tests/colab_packages.txt, copied from Colab's published pip freeze), a
stand-in `google.colab` module, the notebook's own install cell pointed
at a clone of this repository, then "Run all" in the default profile
(smoke: Colab without a GPU).

One base environment is built per session (about three minutes: Colab's
torch is a large download); each notebook then runs in its own copy of
it, with its own home folder (Colab's /root: caches,
~/.cache/bertcourse), working folder (Colab's /content: ./outputs) and
kernel, so no notebook sees another's outputs or installs.

Differs from Colab: Python is this machine's 3.11 (Colab: 3.13), and
torch is PyPI's 2.11.0 (a CUDA build; Colab's CPU runtime has
2.11.0+cpu). See the header of colab_packages.txt.

By default chapter 1 and chapter 6 (a fine-tuning chapter) run;
BERTCOURSE_COLAB_ALL=1 runs every chapter and lab solution (about half
an hour on two cores), one after the other.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
import tomllib
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
COLAB_PACKAGES = ROOT / "tests" / "colab_packages.txt"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted(
    (ROOT / "labs" / "solutions").glob("*.ipynb")
)
DEFAULT = {
    "notebooks/01_bert_in_five_minutes.ipynb",
    "notebooks/06_sentiment_sst2_roberta.ipynb",
}
RUN_ALL = os.environ.get("BERTCOURSE_COLAB_ALL") == "1"
# Packages the install cell may upgrade on Colab. Everything else Colab
# has stays at Colab's version; a new minimum in pyproject.toml above
# Colab's version makes this test fail, so that the choice (upgrading a
# package that Colab's other packages depend on) is deliberate.
# protobuf: onnx >= 1.23 needs protobuf >= 6.31.1, Colab has 5.29.6 (pip
# then warns that Colab's grpcio-status wants protobuf < 6; nothing the
# course runs uses grpc).
MAY_UPGRADE = {"protobuf"}


def pins(path):
    """{canonical name: version} from a pip requirements file of
    name==version lines."""
    found = {}
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = line.split("==")
            found[canonicalize_name(name)] = version
    return found


def dependencies():
    return [
        Requirement(d)
        for d in tomllib.loads((ROOT / "pyproject.toml").read_text())[
            "project"
        ]["dependencies"]
    ]


def sh(*args, **kwargs):
    return subprocess.run(
        args, check=True, capture_output=True, text=True, **kwargs
    )


def freeze(python):
    out = sh(
        str(python),
        "-m",
        "pip",
        "freeze",
        "--all",
        "--exclude-editable",
    ).stdout
    return {
        canonicalize_name(n): v.split("+")[0]
        for n, v in (
            line.split("==")
            for line in out.splitlines()
            if "==" in line
        )
    }


# --- unit checks (no network)
# ------------------------------------------------------------


def test_pyproject_minimums_are_satisfied_by_the_tested_pins():
    """What pyproject.toml asks for (what Colab's install cell brings)
    must include the versions the course is tested with
    (requirements.txt)."""
    tested = pins(ROOT / "requirements.txt")
    for requirement in dependencies():
        name = canonicalize_name(requirement.name)
        assert name in tested, (
            f"{requirement} is not pinned in requirements.txt"
        )
        assert requirement.specifier.contains(
            tested[name], prereleases=True
        ), (
            f"requirements.txt pins {name}=={tested[name]}, outside "
            f"pyproject.toml's {requirement}"
        )


def test_pyproject_keeps_colabs_versions_where_colab_has_the_package():
    """The install cell keeps what Colab has (the chapters pass on
    Colab's versions, see the notebook tests below), except packages
    listed in MAY_UPGRADE."""
    colab = pins(COLAB_PACKAGES)
    for requirement in dependencies():
        name = canonicalize_name(requirement.name)
        if name in colab and name not in MAY_UPGRADE:
            assert requirement.specifier.contains(
                colab[name], prereleases=True
            ), (
                f"pyproject.toml's {requirement} excludes Colab's "
                f"{name}=={colab[name]}: the install cell would "
                "upgrade it on Colab. Lower the minimum (if the "
                "chapters pass on Colab's version) or add it to "
                "MAY_UPGRADE and run BERTCOURSE_COLAB_ALL=1"
            )


# --- the simulated Colab
# ---------------------------------------------------------------


# `make test` builds the base environment beside the other tests (it is
# mostly pip's unpacking, one core) and names its folder here; this
# file's notebooks run after them.
BASE_ENV = "BERTCOURSE_COLAB_BASE"
READY = "ready.json"


def build_base(folder):
    """A venv with Colab's versions, a clone of this repository and the
    google.colab stand-in, in `folder`; returns what fresh_runtime
    needs."""
    start = time.perf_counter()
    clone = folder / "clone"
    sh("git", "clone", "-q", str(ROOT), str(clone))
    venv = folder / "base"
    # the machine's Python, not the course venv
    sh("python3", "-m", "venv", str(venv))
    python = venv / "bin" / "python"
    papermill = next(
        line
        for line in (ROOT / "requirements.txt").read_text().splitlines()
        if line.startswith("papermill==")
    )
    sh(
        str(python),
        "-m",
        "pip",
        "install",
        "-q",
        f"pip=={pins(COLAB_PACKAGES)['pip']}",
    )
    sh(
        str(python),
        "-m",
        "pip",
        "install",
        "-q",
        "-r",
        str(COLAB_PACKAGES),
        papermill,
    )
    stand_in = folder / "stand_in" / "google" / "colab"
    stand_in.mkdir(parents=True)
    # `google` stays a namespace package (no __init__.py), as in Colab:
    # a regular package here would hide google.protobuf, which onnx
    # imports (chapter 10).
    (stand_in / "__init__.py").write_text(
        '"""Stand-in for Colab\'s module: its presence is what the '
        'notebooks test."""\n'
    )
    startup = folder / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True)
    # Colab's kernel imports it
    (startup / "00-colab.py").write_text("import google.colab\n")
    seconds = time.perf_counter() - start
    (folder / READY).write_text(json.dumps({"seconds": seconds}))
    return {
        "folder": folder,
        "venv": venv,
        "clone": clone,
        "seconds": seconds,
    }


@pytest.fixture(scope="session")
def colab_base(tmp_path_factory):
    """The base environment: the one `make test` prepared, or one built
    now."""
    prepared = os.environ.get(BASE_ENV)
    if not prepared:
        return build_base(tmp_path_factory.mktemp("colab"))
    folder = Path(prepared)
    assert (folder / READY).exists(), (
        f"{BASE_ENV}={folder} was not prepared: see {folder}.log "
        "(python tests/test_colab.py --prepare FOLDER builds it)"
    )
    seconds = json.loads((folder / READY).read_text())["seconds"]
    return {
        "folder": folder,
        "venv": folder / "base",
        "clone": folder / "clone",
        "seconds": seconds,
    }


def fresh_runtime(base, folder):
    """A copy of the base venv (hard links: pip replaces files, it never
    writes into them) with its own home and working folder."""
    venv = folder / "venv"
    sh("cp", "-al", str(base["venv"]), str(venv))
    home, content = folder / "root", folder / "content"
    home.mkdir()
    content.mkdir()
    ipython = folder / "ipython"
    shutil.copytree(base["folder"] / "ipython", ipython)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(
            (
                "BERTCOURSE_",
                "VIRTUAL_ENV",
                "PYTHON",
                "JUPYTER",
                "HF_",
                "MPL",
                "XDG_",
            )
        )
    }
    env.update(
        HOME=str(home),
        PYTHONPATH=str(base["folder"] / "stand_in"),
        IPYTHONDIR=str(ipython),
        PATH=f"{venv / 'bin'}:{env['PATH']}",
        JUPYTER_PATH=str(venv / "share" / "jupyter"),
        # downloads only (no notebook's outputs): spares PyPI, as
        # Colab's fast mirror would
        PIP_CACHE_DIR=os.environ.get("PIP_CACHE_DIR")
        or str(Path.home() / ".cache" / "pip"),
    )
    return venv / "bin" / "python", env, content


# Only the notebooks that run are collected (no skips): the default
# pair, or all of them.
SELECTED = [
    p
    for p in NOTEBOOKS
    if RUN_ALL or p.relative_to(ROOT).as_posix() in DEFAULT
]


@pytest.mark.parametrize("path", SELECTED, ids=lambda p: p.stem)
def test_first_click_in_colab_runs_all(path, colab_base, tmp_path):
    relative = path.relative_to(ROOT).as_posix()
    clone = colab_base["clone"]
    python, env, content = fresh_runtime(colab_base, tmp_path)
    colab = pins(COLAB_PACKAGES)
    before = freeze(python)
    assert {n: before.get(n) for n in colab} == colab, (
        "the runtime does not start from Colab's versions"
    )

    notebook = nbformat.read(clone / relative, as_version=4)
    install = notebook.cells[
        next(
            i
            for i, c in enumerate(notebook.cells)
            if c.cell_type == "code"
        )
    ]
    # The install cell as written, pointed at the local clone instead of
    # the public repository. (file://localhost/...: pip refuses a
    # git+file URL with an empty host)
    install.source, count = re.subn(
        r"git\+https://[^\"]+",
        f"git+file://localhost{clone}",
        install.source,
    )
    assert count == 1, (
        "the first code cell is not the Colab install cell"
    )
    nbformat.write(notebook, tmp_path / "notebook.ipynb")

    start = time.perf_counter()
    result = subprocess.run(
        [
            str(python),
            "-m",
            "papermill",
            str(tmp_path / "notebook.ipynb"),
            str(tmp_path / "out.ipynb"),
            "--kernel",
            "python3",
            "--cwd",
            str(content),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    after = freeze(python)
    changed = {
        n: f"{colab[n]} -> {after.get(n)}"
        for n in colab
        if after.get(n) != colab[n]
    }
    print(
        json.dumps(
            {
                "notebook": relative,
                "run all s (install cell included)": round(seconds, 1),
                "colab base environment s (once a session)": round(
                    colab_base["seconds"], 1
                ),
                "install cell changed Colab's": changed,
            }
        )
    )
    assert result.returncode == 0, result.stderr[-4000:]

    # What the install cell brought satisfies pyproject.toml, and kept
    # Colab's versions of everything outside MAY_UPGRADE.
    for requirement in dependencies():
        name = canonicalize_name(requirement.name)
        assert requirement.specifier.contains(
            after[name], prereleases=True
        ), (requirement, after[name])
    assert set(changed) <= MAY_UPGRADE, (
        f"the install cell changed Colab's packages: {changed}"
    )

    executed = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    text = "".join(
        o.get("text", "")
        for c in executed.cells
        if c.cell_type == "code"
        for o in c.outputs
    )
    assert "[bertcourse] profile=smoke | device=cpu" in text
    assert (
        "profile chosen by: the default in Colab without a GPU" in text
    )
    if path.name == "01_bert_in_five_minutes.ipynb":
        assert (
            "word embedding matrix V x H = 23,440,896 parameters"
            in text
        )


if __name__ == "__main__":
    # `make test`: python tests/test_colab.py --prepare FOLDER
    assert sys.argv[1:2] == ["--prepare"] and len(sys.argv) == 3, (
        __doc__
    )
    target = Path(sys.argv[2])
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    build_base(target)
