"""The SST-2 script (chapter 6): --help, and a two-process DDP run on
the CPU with accelerate launch in the smoke profile that trains,
evaluates and writes one model."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "finetune_sst2.py"
# the venv's launcher
ACCELERATE = Path(sys.executable).with_name("accelerate")


def test_help_names_the_options():
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for option in (
        "--profile",
        "--output-dir",
        "--max-steps",
        "--resume",
    ):
        assert option in result.stdout


def test_two_processes_train_evaluate_and_write_one_model(tmp_path):
    out = tmp_path / "sst2"
    # `accelerate launch --cpu --num_processes 2` starts ONE process
    # unless MPI is set up (accelerate 1.15 launches several CPU
    # processes only through mpirun). --multi_gpu makes it start two
    # processes through torchrun; with no GPU visible, the script's
    # Trainer runs them on the CPU (use_cpu=True) as one DDP group over
    # gloo.
    command = [
        str(ACCELERATE),
        "launch",
        "--multi_gpu",
        "--num_processes",
        "2",
        "--num_machines",
        "1",
        "--mixed_precision",
        "no",
        "--dynamo_backend",
        "no",
        str(SCRIPT),
        "--profile",
        "smoke",
        "--output-dir",
        str(out),
        "--max-steps",
        "2",
    ]
    result = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, (
        result.stdout[-3000:] + result.stderr[-3000:]
    )

    results = json.loads((out / "results.json").read_text())
    # really two processes, one DDP group
    assert results["world_size"] == 2
    # it trained and logged its loss
    assert results["steps"] == 2 and results["train_losses"]
    # a per-sentence mean over two classes starts near ln 2 = 0.69, not
    # twice that
    assert all(0.3 < loss < 1.0 for loss in results["train_losses"])
    assert 0.0 <= results["eval_accuracy"] <= 1.0  # it evaluated
    # only the main process reports and writes: one summary line, one
    # final model
    assert result.stdout.count("validation accuracy") == 1
    finals = [
        p
        for p in out.rglob("model.safetensors")
        if not p.parent.name.startswith("checkpoint-")
    ]
    assert finals == [out / "model" / "model.safetensors"]

    from transformers import AutoModelForSequenceClassification

    model = AutoModelForSequenceClassification.from_pretrained(
        out / "model"
    )
    assert model.config.id2label == {0: "negative", 1: "positive"}
