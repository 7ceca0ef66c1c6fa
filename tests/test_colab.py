"""Colab's first click: a fresh environment with only what Colab has (Python, torch,
ipykernel, papermill), a stand-in `google.colab` module, the notebook's own install cell
pointed at a clone of this repository, then "Run all" in the default profile."""

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
CHAPTER_ONE = ROOT / "notebooks" / "01_bert_in_five_minutes.ipynb"
TORCH = next(line for line in (ROOT / "requirements.txt").read_text().splitlines()
             if line.startswith("torch=="))


def sh(*args, **kwargs):
    return subprocess.run(args, check=True, capture_output=True, text=True, **kwargs)


def colab_like_environment(folder):
    """A venv with Colab's basics and a stand-in google.colab imported at kernel start."""
    venv = folder / "colab"
    sh("python3", "-m", "venv", str(venv))  # the machine's Python, not the course venv
    python = venv / "bin" / "python"
    sh(str(python), "-m", "pip", "install", "-q", "--upgrade", "pip")  # Colab's pip is recent
    sh(str(python), "-m", "pip", "install", "-q", TORCH, "ipykernel", "papermill")
    stand_in = folder / "stand_in" / "google" / "colab"
    stand_in.mkdir(parents=True)
    # `google` stays a namespace package (no __init__.py), as in Colab: a regular package
    # here would hide google.protobuf, which onnx imports (chapter 10).
    (stand_in / "__init__.py").write_text('"""Stand-in for Colab\'s module: its presence is what the notebooks test."""\n')
    startup = folder / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True)
    (startup / "00-colab.py").write_text("import google.colab\n")  # Colab's kernel imports it
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("BERTCOURSE_", "VIRTUAL_ENV", "PYTHON", "JUPYTER", "HF_"))}
    env.update(PYTHONPATH=str(folder / "stand_in"), IPYTHONDIR=str(folder / "ipython"),
               PATH=f"{venv / 'bin'}:{env['PATH']}", JUPYTER_PATH=str(venv / "share" / "jupyter"))
    return python, env


def test_run_all_in_colab_works_on_the_first_click(tmp_path):
    clone = tmp_path / "clone"
    sh("git", "clone", "-q", str(ROOT), str(clone))
    notebook = nbformat.read(clone / CHAPTER_ONE.relative_to(ROOT), as_version=4)
    install = notebook.cells[next(i for i, c in enumerate(notebook.cells) if c.cell_type == "code")]
    # The install cell as written, pointed at the local clone instead of the public repository.
    # (file://localhost/...: pip refuses a git+file URL with an empty host)
    install.source, count = re.subn(r"git\+https://[^\"]+", f"git+file://localhost{clone}", install.source)
    assert count == 1
    start = time.perf_counter()
    python, env = colab_like_environment(tmp_path)
    base_seconds = time.perf_counter() - start
    nbformat.write(notebook, tmp_path / "chapter.ipynb")

    start = time.perf_counter()
    result = subprocess.run(
        [str(python), "-m", "papermill", str(tmp_path / "chapter.ipynb"), str(tmp_path / "out.ipynb"),
         "--kernel", "python3", "--cwd", str(tmp_path)],
        env=env, capture_output=True, text=True)
    run_all_seconds = time.perf_counter() - start
    assert result.returncode == 0, result.stderr[-4000:]
    executed = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    text = "".join(o.get("text", "") for c in executed.cells if c.cell_type == "code" for o in c.outputs)
    assert "[bertcourse] profile=smoke | device=cpu" in text
    assert "profile chosen by: the default in Colab without a GPU" in text
    assert "word embedding matrix V x H = 23,440,896 parameters" in text
    install_seconds = executed.cells[notebook.cells.index(install)].metadata["papermill"]["duration"]
    print(json.dumps({"colab base environment s": round(base_seconds, 1),
                      "install cell s": round(install_seconds, 1),
                      "run all s (install cell included)": round(run_all_seconds, 1)}))
