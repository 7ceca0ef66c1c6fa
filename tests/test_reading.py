"""Pages a learner enjoys reading: no walls of training output in the
fine-tuning chapters, sharp figures, and the `quiet` helper that keeps
demo trainers to one line."""

import base64
import json
import re
import struct
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FINE_TUNING = [
    "notebooks/06_sentiment_sst2_roberta.ipynb",
    "notebooks/07_ner_conll_albert.ipynb",
    "notebooks/08_qa_squad_distilbert.ipynb",
]
# A log dictionary printed by transformers' PrinterCallback
# (disable_tqdm=True without `quiet`).
LOG_LINE = re.compile(r"\{'(loss|train_runtime|eval_loss|grad_norm)'")


def outputs(path):
    for index, cell in enumerate(
        json.loads((ROOT / path).read_text())["cells"]
    ):
        for output in cell.get("outputs", []):
            yield index, output


def texts(output):
    if output["output_type"] == "stream":
        yield "".join(output["text"])
    for mime in ("text/plain", "text/html"):
        if mime in output.get("data", {}):
            yield "".join(output["data"][mime])


@pytest.mark.parametrize("path", FINE_TUNING)
def test_no_walls_of_training_output(path):
    problems, bars = [], 0
    for index, output in outputs(path):
        for text in texts(output):
            bars += text.count("<progress")
            if LOG_LINE.search(text):
                problems.append(
                    f"cell {index}: a printed log dictionary: "
                    f"{LOG_LINE.search(text)[0]}"
                )
            if "[1/1 : < :]" in text:
                problems.append(
                    f"cell {index}: an empty progress widget"
                )
            if (
                "TrainOutput(" in text
                or "<transformers.trainer.Trainer at" in text
            ):
                problems.append(
                    f"cell {index}: a TrainOutput or Trainer printed "
                    "as the cell's value"
                )
            if re.search(
                r"<th>Step</th>\s*<th>Training "
                r"Loss</th>\s*</tr>\s*</thead>\s*<tbody>\s*</tbody>",
                text,
            ):
                problems.append(
                    f"cell {index}: an empty 'Step | Training Loss' "
                    "table"
                )
            if text.count("<table") > 1 or (
                "<progress" not in text and "Training Loss" in text
            ):
                problems.append(
                    f"cell {index}: a metrics table printed twice"
                )
    assert bars == 1, (
        f"{path}: {bars} progress bars; only the main training "
        "shows one"
    )
    assert not problems, f"{path}:\n" + "\n".join(problems)


def png_size(data):
    raw = base64.b64decode(data)
    assert raw[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", raw[16:24])


@pytest.mark.parametrize("path", FINE_TUNING)
def test_figures_are_stored_at_twice_their_shown_size(path):
    figures = [
        output
        for _, output in outputs(path)
        if "image/png" in output.get("data", {})
    ]
    assert figures, f"{path} has no figure"
    for output in figures:
        shown = output.get("metadata", {}).get("image/png", {})
        width, height = png_size(output["data"]["image/png"])
        assert "width" in shown, (
            f"{path}: a figure without its display size (not retina)"
        )
        assert width == pytest.approx(2 * shown["width"], abs=2)
        assert height == pytest.approx(2 * shown["height"], abs=2)


def tiny_trainer(tmp_path, **arguments):
    import torch
    from datasets import Dataset
    from transformers import (
        BertConfig,
        BertForSequenceClassification,
        Trainer,
        TrainingArguments,
    )

    config = BertConfig(
        vocab_size=30,
        hidden_size=8,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=16,
        max_position_embeddings=16,
    )
    torch.manual_seed(0)
    data = Dataset.from_dict(
        {"input_ids": [[1, 2, 3, 4]] * 8, "labels": [0, 1] * 4}
    )
    args = TrainingArguments(
        output_dir=str(tmp_path),
        max_steps=2,
        per_device_train_batch_size=4,
        logging_steps=1,
        save_strategy="no",
        report_to="none",
        use_cpu=True,
        **arguments,
    )
    return Trainer(
        model=BertForSequenceClassification(config),
        args=args,
        train_dataset=data,
        eval_dataset=data,
    )


def test_quiet_trainer_prints_nothing_and_keeps_its_log(
    tmp_path, capsys
):
    from transformers.trainer_callback import PrinterCallback

    from bertcourse.sentiment import quiet

    loud = tiny_trainer(tmp_path / "loud", disable_tqdm=True)
    assert any(
        isinstance(c, PrinterCallback)
        for c in loud.callback_handler.callbacks
    )
    loud.train()
    assert (
        "'loss'" in capsys.readouterr().out
    )  # what `quiet` is for: a dictionary per log

    trainer = quiet(
        tiny_trainer(tmp_path / "quiet", disable_tqdm=False)
    )
    result = trainer.train()
    scores = trainer.evaluate()
    captured = capsys.readouterr()
    assert captured.out == "" and "it/s" not in captured.err
    assert result.global_step == 2 and "eval_loss" in scores
    assert [
        h["step"] for h in trainer.state.log_history if "loss" in h
    ] == [1, 2]  # the log is kept
