"""The offline rehearsal of the `course` profile: every notebook runs
its course code path on a machine without a GPU or the model hub,
against stand-ins for the hub.

- Checkpoints: small random models with each real checkpoint's
  configuration except the sizes, and a tokenizer of the same family, in
  a temporary Hugging Face cache under the registry's hub ids
  (`bertcourse.standins`). `from_pretrained("FacebookAI/roberta-base")`
  runs exactly as on a GPU machine, offline (HF_HUB_OFFLINE=1, HF_HOME
  at that cache).
- Datasets: `load_hub_dataset` takes the place of
  `datasets.load_dataset`. It accepts only the (path, config, revision)
  that the registry names and returns the course's mini dataset in the
  hub's schema (features, label names, split names; GLUE's hidden test
  labels are -1, as on the hub).
- Sizes: the course profile's own epochs, batch sizes, lengths and
  learning rates; what would not fit two CPU cores is capped in one
  place, `registry.REHEARSAL_CAPS`.

Random weights learn nothing in a few steps, so a result check (a model
beats its baseline) reports its verdict instead of stopping: the
rehearsal proves that the code runs and the data fits, `make
check-course` on a GPU proves the results.

    python -m bertcourse.rehearsal \
        notebooks/06_sentiment_sst2_roberta.ipynb
"""

import os
import sys
from pathlib import Path

from . import registry
from .errors import CourseError

HUB_FOLDER = "hf_home"


def load_hub_dataset(path, name=None, *, revision=None, **kwargs):
    """Stand-in for `datasets.load_dataset(path, name, revision=...)` in
    the rehearsal."""
    from . import assets

    wanted = {spec: key for key, spec in registry.DATASETS.items()}
    key = wanted.get((path, name, revision))
    if key is None or kwargs:
        raise AssertionError(
            f"the course profile loads {(path, name, revision)} with "
            f"{kwargs}, which the registry does not name: "
            f"{sorted(wanted)}"
        )
    data = assets.mini_dataset(key)
    if key == "sst2":  # GLUE hides its test labels: -1 on the hub
        data["test"] = data["test"].map(lambda row: {"label": -1})
    if key == "squad":
        data = data.map(
            _lengthen_some_contexts,
            with_indices=True,
            batched=True,
            batch_size=LONG_EVERY,
        )
    return data


# The mini SQuAD's contexts are 40 to 85 tokens long; real SQuAD's
# longest pass the course profile's 384-token windows. So one context in
# LONG_EVERY gets the other contexts of its batch in front of it (its
# answers shifted to match), and the windows really overlap.
LONG_EVERY = 8


def _lengthen_some_contexts(batch, indices):
    contexts = list(batch["context"])
    answers = list(batch["answers"])
    prefix = " ".join(contexts[1:]) + " "
    contexts[0] = prefix + contexts[0]
    answers[0] = {
        "text": answers[0]["text"],
        "answer_start": [
            start + len(prefix) for start in answers[0]["answer_start"]
        ],
    }
    return {**batch, "context": contexts, "answers": answers}


def environment(hf_home, output):
    """Environment variables for a process (a notebook's kernel) that
    rehearses the course profile with the stand-in hub cache in
    `hf_home` (built there by `standins.build_hub`) and writes its
    checkpoints to `output`."""
    return {
        "HF_HOME": str(hf_home),
        "HF_HUB_OFFLINE": "1",
        "HF_DATASETS_OFFLINE": "1",
        registry.REHEARSAL_ENV: "1",
        "BERTCOURSE_PROFILE": "course",
        "BERTCOURSE_OUTPUT": str(output),
    }


def banner_lines():
    """What the banner says about the rehearsal (lines fit the book's
    column)."""
    lines = [
        "REHEARSAL: stand-ins (small random models under the",
        "  hub ids, mini datasets in the hub's schema); capped:",
    ]
    for table, caps in registry.REHEARSAL_CAPS.items():
        for key, value in caps.items():
            shown = (
                ", ".join(f"{k}={v}" for k, v in value.items())
                if isinstance(value, dict)
                else value
            )
            lines.append(f"  {table.lower()} {key}: {shown}")
    lines.append("  result checks report, they do not stop")
    return lines


def execute(notebook, folder, timeout=600):
    """Run `notebook` with papermill in the rehearsal, as a learner who
    opens it first: its own empty output folder under `folder`, no other
    notebook's checkpoints. The stand-in hub in `folder` is built once
    and shared. Returns the executed notebook (also saved in `folder`).
    """
    import papermill

    from . import standins

    folder, notebook = Path(folder), Path(notebook)
    hf_home = folder / HUB_FOLDER
    if not (hf_home / "hub").exists():
        standins.build_hub(hf_home)
    env = environment(hf_home, folder / "outputs" / notebook.stem)
    saved = {key: os.environ.get(key) for key in env}
    # the kernel inherits this process's environment
    os.environ.update(env)
    try:
        return papermill.execute_notebook(
            str(notebook),
            str(folder / notebook.name),
            kernel_name="python3",
            cwd=str(notebook.parent),
            progress_bar=False,
            execution_timeout=timeout,
        )
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def main(argv=None):
    import argparse
    import tempfile

    parser = argparse.ArgumentParser(
        description="Rehearse the course profile offline."
    )
    parser.add_argument("notebooks", nargs="+")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="bertcourse-rehearsal-"))
    failed = []
    for notebook in args.notebooks:
        try:
            execute(notebook, folder)
            print(
                f"rehearsed {notebook}: {folder / Path(notebook).name}"
            )
        except Exception as error:  # noqa: BLE001
            # report every notebook, then fail
            failed.append(notebook)
            print(
                f"FAILED {notebook}: {str(error)[-2000:]}",
                file=sys.stderr,
            )
    if failed:
        raise CourseError(
            f"the rehearsal failed for {', '.join(failed)}; outputs in "
            f"{folder}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
