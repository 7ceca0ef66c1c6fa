"""Fine-tune the course's SST-2 model (chapter 6) from the command line.

The same code as the notebook (bertcourse.sentiment) and the same
profiles and registry. It runs unchanged on one device or on several
under `accelerate launch` (DistributedDataParallel): each process trains
on its share of every batch, and only the main process prints the
results and writes the model.

    python scripts/finetune_sst2.py --profile smoke
    accelerate launch --num_processes 4 scripts/finetune_sst2.py \
        --profile course
"""

import argparse
import json
import time
from pathlib import Path


def parse_arguments(argv=None):
    parser = argparse.ArgumentParser(
        description=(
            "Fine-tune the course's SST-2 sentiment model (chapter 6). "
            "Run it with python on one device, or with `accelerate "
            "launch --num_processes N` on N."
        )
    )
    parser.add_argument(
        "--profile",
        choices=["smoke", "course", "full"],
        default=None,
        help=(
            "run profile (default: BERTCOURSE_PROFILE, else smoke); "
            "the registry gives the checkpoint, data, epochs, batch "
            "size and learning rate"
        ),
    )
    parser.add_argument(
        "--output-dir",
        type=Path,
        default=None,
        help="where checkpoints and the final model go "
        "(default: BERTCOURSE_OUTPUT or "
        "./outputs, then <profile>/sst2-script)",
    )
    parser.add_argument(
        "--max-steps",
        type=int,
        default=-1,
        help="stop after this many optimizer steps "
        "(default: train the profile's epochs)",
    )
    parser.add_argument(
        "--gradient-accumulation-steps",
        type=int,
        default=1,
        help=(
            "optimizer step every N batches (effective batch = "
            "per-device batch x processes x N)"
        ),
    )
    parser.add_argument(
        "--resume",
        action="store_true",
        help="continue from the last checkpoint in --output-dir",
    )
    parser.add_argument(
        "--seed", type=int, default=0, help="random seed (default 0)"
    )
    return parser.parse_args(argv)


def main(argv=None):
    arguments = parse_arguments(argv)
    import contextlib
    import io
    import os

    from transformers import AutoTokenizer

    from bertcourse import setup
    from bertcourse.sentiment import make_trainer, tokenize_function

    # Under a launcher every process runs this file; RANK says which one
    # this is. Only rank 0 prints the banner (the distributed state
    # itself is set up by the Trainer's arguments, which know whether
    # this run is on GPUs or on the CPU).
    main_process = int(os.environ.get("RANK", "0")) == 0
    quiet = (
        contextlib.nullcontext()
        if main_process
        else contextlib.redirect_stdout(io.StringIO())
    )
    with quiet:
        run = setup(arguments.profile, task="sst2", seed=arguments.seed)
    output_dir = arguments.output_dir or run.output_dir("sst2-script")
    settings = run.settings
    tokenizer = AutoTokenizer.from_pretrained(run.checkpoint)
    encoded = run.datasets["sst2"].map(
        tokenize_function(tokenizer, settings.max_length),
        batched=True,
        remove_columns=["sentence", "idx"],
        # no cache file for two processes
        # to race on
        keep_in_memory=True,
    )

    trainer = make_trainer(
        run,
        tokenizer,
        encoded["train"],
        encoded["validation"],
        output_dir,
        max_steps=arguments.max_steps,
        gradient_accumulation_steps=arguments.gradient_accumulation_steps,
    )
    args = trainer.args
    effective_batch = (
        args.per_device_train_batch_size
        * args.world_size
        * args.gradient_accumulation_steps
    )
    if trainer.is_world_process_zero():
        print(
            f"processes: {args.world_size}, per-device batch "
            f"{args.per_device_train_batch_size}, accumulation "
            f"{args.gradient_accumulation_steps} -> effective batch "
            f"{effective_batch}"
        )
    start = time.perf_counter()
    trainer.train(
        resume_from_checkpoint=True if arguments.resume else None
    )
    train_seconds = time.perf_counter() - start
    # every process evaluates its share; the metrics are gathered
    metrics = trainer.evaluate()
    # writes on the main process only
    trainer.save_model(str(Path(output_dir) / "model"))
    if trainer.is_world_process_zero():
        losses = [
            entry["loss"]
            for entry in trainer.state.log_history
            if "loss" in entry
        ]
        summary = {
            "world_size": args.world_size,
            "effective_batch_size": effective_batch,
            "steps": trainer.state.global_step,
            "train_losses": losses,
            "train_seconds": round(train_seconds, 1),
            "eval_accuracy": metrics["eval_accuracy"],
            "eval_f1": metrics["eval_f1"],
        }
        (Path(output_dir) / "results.json").write_text(
            json.dumps(summary, indent=2)
        )
        print(
            f"validation accuracy {metrics['eval_accuracy']:.3f}, F1 "
            f"{metrics['eval_f1']:.3f}"
        )
        print(f"model saved to {Path(output_dir) / 'model'}")


if __name__ == "__main__":
    main()
