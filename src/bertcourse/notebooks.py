"""Maintainer tools for the notebook pairs: sync the .ipynb from its MyST source,
execute it in a profile, and record that profile in the notebook's metadata.

    python -m bertcourse.notebooks execute --profile course notebooks/*.md
    python -m bertcourse.notebooks check notebooks labs
    python -m bertcourse.notebooks set-repo-url notebooks/*.md   # after editing _config.yml

The recorded profile is what `pytest --nbval` runs (see tests/conftest.py), so a
course edition executed on a GPU is verified on a GPU.
"""

import argparse
import os
import re
import sys
import time
from pathlib import Path

from .errors import CourseError
from .profiles import PROFILE_ENV, PROFILES, resolve_profile

METADATA_KEY = "bertcourse"


def notebook_sources(folders):
    """The MyST sources of the paired notebooks under `folders` (README.md excluded)."""
    found = []
    for folder in folders:
        found += [p for p in sorted(Path(folder).glob("*.md")) if p.name != "README.md"]
    return found


def source_cells(notebook):
    """(cell type, source) of every cell, the part of a pair that must agree."""
    return [(cell.cell_type, cell.source.strip()) for cell in notebook.cells]


def pair_problems(md_path):
    """What is wrong with the pair of `md_path`: a missing half or differing sources."""
    import jupytext

    md_path = Path(md_path)
    ipynb_path = md_path.with_suffix(".ipynb")
    if not ipynb_path.exists():
        return [f"{ipynb_path} is missing: run `make sync`"]
    from_md = jupytext.read(md_path)
    from_ipynb = jupytext.read(ipynb_path)
    if source_cells(from_md) != source_cells(from_ipynb):
        return [f"{md_path} and {ipynb_path} differ: edit the .md, then run `make sync` and `make execute`"]
    if METADATA_KEY not in from_ipynb.metadata or "profile" not in from_ipynb.metadata[METADATA_KEY]:
        return [f"{ipynb_path} records no profile: run `make execute`"]
    return []


def sync(md_path):
    """Write the .ipynb from the .md, keeping the stored outputs of unchanged cells."""
    import jupytext
    from jupytext.combine import combine_inputs_with_outputs

    md_path = Path(md_path)
    if not md_path.exists():
        raise CourseError(f"{md_path} does not exist. Fix: name a notebook source such as "
                          "notebooks/01_bert_in_five_minutes.md (or its .ipynb).")
    ipynb_path = md_path.with_suffix(".ipynb")
    notebook = jupytext.read(md_path)
    if ipynb_path.exists():
        stored = jupytext.read(ipynb_path)
        notebook = combine_inputs_with_outputs(notebook, stored)
    jupytext.write(notebook, ipynb_path)
    return ipynb_path


def execute(md_path, profile):
    """Execute one notebook with papermill in `profile` and return its run time.

    The run goes to a temporary file; only a run that succeeded replaces the committed
    .ipynb, so a failure never loses the stored outputs. A failure raises CourseError
    naming the notebook, the error, and where the failed copy was kept.
    """
    import shutil
    import tempfile

    import nbformat
    import papermill

    ipynb_path = sync(md_path)
    os.environ[PROFILE_ENV] = profile  # the kernel inherits it; no injected cell needed
    scratch = Path(tempfile.mkdtemp(prefix="bertcourse-execute-")) / ipynb_path.name
    start = time.perf_counter()
    try:
        papermill.execute_notebook(str(ipynb_path), str(scratch), kernel_name="python3",
                                   cwd=str(ipynb_path.parent), progress_bar=False)
    except papermill.PapermillExecutionError as error:
        raise CourseError(
            f"{ipynb_path} failed in the {profile} profile at cell {error.exec_count}: "
            f"{error.ename}: {error.evalue}\n  The committed notebook is unchanged; "
            f"the failed run is kept in {scratch}") from None
    seconds = time.perf_counter() - start
    notebook = nbformat.read(scratch, as_version=4)
    # Keep the diff of a re-execution to the outputs: drop papermill's timestamps.
    notebook.metadata.pop("papermill", None)
    for cell in notebook.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
    notebook.metadata[METADATA_KEY] = {"profile": profile, "run_seconds": round(seconds, 1),
                                       "date": time.strftime("%Y-%m-%d", time.gmtime()),
                                       "device": executing_device()}
    nbformat.write(notebook, scratch)
    shutil.move(scratch, ipynb_path)
    shutil.rmtree(scratch.parent, ignore_errors=True)
    return seconds


INSTALL_URL = re.compile(r'git\+https://[^"\s]+')


def repository_url(config_path=Path("_config.yml")):
    """The repository URL, set once in the book's _config.yml (repository.url)."""
    import yaml

    return yaml.safe_load(Path(config_path).read_text())["repository"]["url"]


def set_repository_url(md_path, url):
    """Point the Colab install cell of a notebook source at `url`; True if it changed."""
    md_path = Path(md_path)
    text = md_path.read_text()
    updated = INSTALL_URL.sub(f"git+{url}", text)
    md_path.write_text(updated)
    return updated != text


def executing_device():
    """The device the notebooks run on, in a few words: the GPU's name, or the CPU's."""
    import torch

    if torch.cuda.is_available():
        return torch.cuda.get_device_name(0)
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if line.startswith("model name"))
    except (OSError, StopIteration):
        import platform

        cpu = platform.processor() or platform.machine()
    return f"CPU: {cpu}, {os.cpu_count()} cores"


STATUS_PAGE = Path("book/status.md")


def status_page(folders):
    """The book's status page: when, where, in which profile and how fast each notebook's
    stored outputs were made, from its metadata; each name links to its page."""
    import nbformat

    rows = []
    for md in notebook_sources(folders):
        ipynb = md.with_suffix(".ipynb")
        meta = nbformat.read(ipynb, as_version=4).metadata.get(METADATA_KEY, {}) if ipynb.exists() else {}
        rows.append(f"| {{doc}}`../{ipynb.with_suffix('').as_posix()}` | {meta.get('date', 'not recorded')} "
                    f"| {meta.get('profile', 'not executed')} | {meta.get('device', 'not recorded')} "
                    f"| {meta.get('run_seconds', '')} |")
    return "\n".join([
        "# Status: when each notebook last ran",
        "",
        "Written by `make execute` from each notebook's metadata: when its stored outputs",
        "were made, in which profile (the one `pytest --nbval` runs it in), on which device,",
        "and how long the run took there.",
        "",
        "| notebook | date (UTC) | profile | device | run time (s) |",
        "|---|---|---|---|---|",
        *rows,
        "",
    ])


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bertcourse.notebooks", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("execute", help="sync, execute in place and record the profile")
    run.add_argument("--profile", default=None, help=f"one of {', '.join(PROFILES)}")
    run.add_argument("paths", nargs="+", type=Path)
    sub.add_parser("sync", help="write each .ipynb from its .md").add_argument("paths", nargs="+", type=Path)
    sub.add_parser("check", help="report pairs out of sync").add_argument("folders", nargs="+", type=Path)
    sub.add_parser("set-repo-url", help="point every install cell at _config.yml's repository.url") \
        .add_argument("paths", nargs="+", type=Path)
    args = parser.parse_args(argv)

    try:
        if args.command == "execute":
            profile = resolve_profile(args.profile)
            failed = []
            for path in args.paths:
                print(f"executing {path} in the {profile} profile ...", flush=True)
                try:
                    print(f"  done in {execute(path.with_suffix('.md'), profile):.1f} s", flush=True)
                except CourseError as error:
                    print(f"  FAILED: {error}", file=sys.stderr, flush=True)
                    failed.append(path)
            STATUS_PAGE.write_text(status_page([Path("notebooks"), Path("labs")]))
            if failed:
                print(f"error: {len(failed)} notebook(s) failed: " + ", ".join(map(str, failed)),
                      file=sys.stderr)
                return 1
        elif args.command == "set-repo-url":
            url = repository_url()
            for path in args.paths:
                if set_repository_url(path.with_suffix(".md"), url):
                    print(f"{path.with_suffix('.md')}: install cell now uses {url}")
                print(f"wrote {sync(path.with_suffix('.md'))}")
        elif args.command == "sync":
            for path in args.paths:
                print(f"wrote {sync(path.with_suffix('.md'))}")
        else:
            problems = [p for md in notebook_sources(args.folders) for p in pair_problems(md)]
            print("\n".join(problems) or "all pairs in sync")
            return 1 if problems else 0
    except CourseError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
