"""`make test`: every test, one pytest process per core, each on its own
core with one thread.

Why: the course's small models keep a second core busy only part of the
time. On this course's two-core machine a notebook run on one core took
about 1.5 times as long as on two, and the rehearsal 1.1 times, so two
notebooks at once, one core each, finish the suite in about two thirds
of the time. Two notebooks sharing two cores with two threads each were
three to six times slower (torch's threads wait for each other), which
is why each process is pinned to its own core.

The work is cut into units (the unit tests, the rehearsal, one
notebook, one notebook of the simulated Colab), handed out longest first
to whichever core is free. Chapters 6, 9 and 10 form one unit, run in
that order: chapter 9 reuses chapter 6's teacher and chapter 10 chapter
9's students, as in a learner's run. The simulated Colab's environment
(Colab's package versions, mostly pip unpacking wheels) is installed
while the first units run; its notebooks wait for it.

    python scripts/run_tests.py            # what `make test` runs
    python scripts/run_tests.py --cores 1  # one unit after the other

A unit's whole output is printed when it fails; `pytest` alone still
runs everything in one process.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from bertcourse.notebooks import METADATA_KEY

# Seconds on one core of the course's machine (December 2026): the
# order in which units are handed out, longest first. Notebooks use
# their stored run time (two cores) instead.
UNIT_TESTS_SECONDS = 130
REHEARSAL_SECONDS = 350
COLAB_SECONDS = 15  # a fresh runtime, added to the notebook's time
CHAIN = [
    "notebooks/06_sentiment_sst2_roberta.ipynb",
    "notebooks/09_distillation.ipynb",
    "notebooks/10_benchmarking.ipynb",
]
SEPARATE = ["tests/test_rehearsal.py", "tests/test_colab.py"]


def executed_notebooks():
    """The chapters and lab solutions, with their stored run times."""
    paths = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted(
        (ROOT / "labs" / "solutions").glob("*.ipynb")
    )
    return {
        p.relative_to(ROOT).as_posix(): nbformat.read(
            p, as_version=4
        ).metadata[METADATA_KEY]["run_seconds"]
        for p in paths
    }


def units():
    """[(name, pytest arguments, estimated seconds)], longest first."""
    sys.path.insert(0, str(ROOT / "tests"))
    import test_colab

    first_click = test_colab.test_first_click_in_colab_runs_all.__name__
    notebooks = executed_notebooks()
    colab_tests = [
        (
            f"simulated Colab: {p.stem}",
            ["-s", f"{SEPARATE[1]}::{first_click}[{p.stem}]"],
            COLAB_SECONDS + notebooks[p.relative_to(ROOT).as_posix()],
        )
        for p in test_colab.SELECTED
    ]
    work = [
        (
            "unit tests",
            ["tests", *(f"--ignore={p}" for p in SEPARATE)],
            UNIT_TESTS_SECONDS,
        ),
        ("rehearsal", ["-s", SEPARATE[0]], REHEARSAL_SECONDS),
        (
            "simulated Colab: package versions",
            [SEPARATE[1], "-k", f"not {first_click}"],
            1,
        ),
        *colab_tests,
        (
            "chapters 6, 9, 10",
            CHAIN,
            sum(notebooks.pop(p) for p in CHAIN),
        ),
    ]
    work += [(p, [p], seconds) for p, seconds in notebooks.items()]
    return sorted(work, key=lambda unit: -unit[2])


def default_cores():
    """One process per core, at most four: a notebook's kernel holds up
    to 3 GB. One on a machine with a GPU, where the notebooks of an
    edition executed in the `course` profile would share the GPU."""
    if any(Path("/dev").glob("nvidia[0-9]*")):
        return 1
    return min(len(os.sched_getaffinity(0)), 4)


def pinned(core, command):
    """`command` on `core` alone; its children (the notebooks' kernels)
    inherit the core. A Python that pins itself, then becomes the
    command: subprocess's preexec_fn could deadlock here, because the
    units are started from threads."""
    pin = (
        "import os, sys; "
        f"os.sched_setaffinity(0, {{{core}}}); "
        "os.execv(sys.argv[1], sys.argv[1:])"
    )
    return [sys.executable, "-c", pin, *command]


def run_unit(name, args, core, env, logs):
    log = logs / f"{name.replace('/', '_').replace(' ', '_')}.log"
    start = time.perf_counter()
    with log.open("w") as out:
        command = [sys.executable, "-m", "pytest", *args]
        code = subprocess.call(
            command if core is None else pinned(core, command),
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    seconds = time.perf_counter() - start
    summary = log.read_text().strip().splitlines()[-1:] or ["no output"]
    where = f"core {core}" if core is not None else "all cores"
    print(
        f"[{where}] {name}: {'passed' if code == 0 else 'FAILED'} in "
        f"{seconds:.0f} s ({summary[0].strip('= ')})",
        flush=True,
    )
    return code, log


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0].replace("\n", " ")
    )
    parser.add_argument(
        "--cores",
        type=int,
        default=default_cores(),
        help="pytest processes at once (default: the cores this "
        "process may use, at most 4; 1 on a machine with a GPU); 1 "
        "runs every unit on all cores",
    )
    options = parser.parse_args(argv)
    cores = sorted(os.sched_getaffinity(0))[: max(options.cores, 1)]
    started = time.perf_counter()
    logs = Path(tempfile.mkdtemp(prefix="bertcourse-test-"))

    # Colab's environment: mostly pip unpacking wheels, beside the rest
    colab = logs / "colab"
    prepare_log = (logs / "colab-environment.log").open("w")
    prepare = subprocess.Popen(
        [
            sys.executable,
            "tests/test_colab.py",
            "--prepare",
            str(colab),
        ],
        cwd=ROOT,
        stdout=prepare_log,
        stderr=subprocess.STDOUT,
    )

    env = {**os.environ, "BERTCOURSE_COLAB_BASE": str(colab)}
    if len(cores) > 1:
        # one thread per process: torch, OpenMP, MKL and the tokenizers
        env.update(OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    queue, lock, results = units(), threading.Lock(), []
    print(
        f"{len(queue)} units of tests on {len(cores)} "
        f"core{'s' * (len(cores) > 1)}; logs in {logs}",
        flush=True,
    )

    def worker(core):
        while True:
            with lock:
                if not queue:
                    return
                name, args, _ = queue.pop(0)
            if name.startswith("simulated Colab") and prepare.wait():
                # its tests then fail, saying where this log is
                print(
                    "building Colab's environment failed: see "
                    f"{prepare_log.name}"
                )
            results.append(run_unit(name, args, core, env, logs))

    threads = [
        threading.Thread(
            target=worker, args=(core if len(cores) > 1 else None,)
        )
        for core in cores
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    prepare.wait()
    prepare_log.close()
    # Colab's environment: several GB; the logs stay
    shutil.rmtree(colab, ignore_errors=True)

    failed = [log for code, log in results if code != 0]
    for log in failed:
        print(f"\n---- {log.name} ----\n{log.read_text()}")
    print(
        f"\n{len(results) - len(failed)} of {len(results)} units "
        f"passed in {time.perf_counter() - started:.0f} s"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
