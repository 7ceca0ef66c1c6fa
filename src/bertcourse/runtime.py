"""Start of every notebook: choose the profile, device, precision and
seed; load what the notebook needs; print a short banner that says all
of it."""

import os
import socket
from dataclasses import dataclass, field

from . import assets, registry
from .errors import CourseError
from .profiles import PROFILES, choose_profile

HUB_HOST = "huggingface.co"


def has_network(timeout=3.0):
    """Whether the model hub can be reached (and is not switched off by
    HF_HUB_OFFLINE)."""
    if hub_switched_off():
        return False
    try:
        socket.create_connection(
            (HUB_HOST, 443), timeout=timeout
        ).close()
        return True
    except OSError:
        return False


def choose_device():
    """('cuda', GPU name) when a GPU is visible, else ('cpu', 'cpu')."""
    import torch

    if torch.cuda.is_available():
        return "cuda", torch.cuda.get_device_name(0)
    return "cpu", "cpu"


def choose_precision(device):
    """bf16 where the GPU supports it (A100, H100), fp16 on older GPUs
    (T4), fp32 on a CPU."""
    import torch

    if device != "cuda":
        return "fp32"
    # including_emulation=False: a T4 can emulate bf16 tensors, but only
    # slowly.
    return (
        "bf16"
        if torch.cuda.is_bf16_supported(including_emulation=False)
        else "fp16"
    )


def hub_switched_off():
    return os.environ.get("HF_HUB_OFFLINE", "").lower() in {
        "1",
        "true",
        "yes",
    }


def check_requirements(profile, device, network):
    """Stop with one message that names the fix when the profile cannot
    run here."""
    if profile in {"course", "full"} and not network:
        if hub_switched_off():
            raise CourseError(
                f"The {profile!r} profile downloads from the Hugging "
                "Face hub, but HF_HUB_OFFLINE is set in this "
                "process, so the libraries will not go online. Fix: "
                "restart the kernel (Colab: Runtime > Restart "
                "session) without HF_HUB_OFFLINE set, then run all "
                "cells again; or set profile = 'smoke' to stay "
                "offline."
            )
        needs = (
            "internet and a CUDA GPU"
            if profile == "full"
            else "internet"
        )
        raise CourseError(
            f"The {profile!r} profile downloads checkpoints and "
            "datasets from the Hugging Face hub, and this machine "
            f"cannot reach {HUB_HOST}. Fix: use a machine with "
            f"{needs} (for example, open the notebook in Colab with "
            "Runtime > Change runtime type > GPU), or run offline "
            "with the smoke profile: set profile = 'smoke' in the "
            "parameters cell, or BERTCOURSE_PROFILE=smoke."
        )
    if profile == "full" and device != "cuda":
        raise CourseError(
            "The 'full' profile trains with the papers' settings and "
            "needs a CUDA GPU, and none is visible "
            "(torch.cuda.is_available() is False). Fix: in Colab "
            "choose Runtime > Change runtime type > GPU; or use "
            "profile = 'course' or 'smoke'."
        )


BANNER = "[bertcourse]"
OUTPUT_ENV = "BERTCOURSE_OUTPUT"


class LoadedDatasets(dict):
    """The datasets `setup` loaded, by name; asking for another says how
    to load it."""

    def __missing__(self, name):
        loaded = ", ".join(self) or "none"
        raise CourseError(
            f"The dataset {name!r} was not loaded by setup (loaded: "
            f"{loaded}). Fix: add it to the setup call, e.g. "
            f"setup(profile, datasets=[{name!r}])."
        )


@dataclass
class Run:
    """What a notebook runs with. Create it with `setup(...)`."""

    profile: str
    device: str
    device_name: str
    precision: str
    seed: int
    datasets: dict = field(default_factory=LoadedDatasets)
    checkpoints: tuple = ()
    task: str = None
    why: str = "the profile parameter"
    # the course profile rehearsed offline (bertcourse.rehearsal)
    rehearsal: bool = False

    # ------------------------------------------------------ checkpoints
    def _check_declared(self, name):
        _check_name(name, registry.CHECKPOINTS, "checkpoint")
        if name not in self.checkpoints:
            declared = ", ".join(self.checkpoints) or "none"
            raise CourseError(
                f"The checkpoint {name!r} was not named in setup "
                f"(named: {declared}). Fix: add it, e.g. "
                f"setup(profile, checkpoints=[..., {name!r}]), so the "
                "banner shows everything the notebook uses."
            )

    def checkpoint_name(self, name):
        """What `name` stands for in this profile, for people to
        read."""
        _check_name(name, registry.CHECKPOINTS, "checkpoint")
        if self.profile != "smoke":
            return registry.CHECKPOINTS[name]
        if name == "bert":
            return registry.OFFLINE_CHECKPOINT_NAME
        return (
            f"tiny random + course {assets.SMOKE_TOKENIZER[name]} "
            "tokenizer"
        )

    def tokenizer(self, name):
        from transformers import AutoTokenizer

        self._check_declared(name)
        if self.profile != "smoke":
            return AutoTokenizer.from_pretrained(
                registry.CHECKPOINTS[name]
            )
        if name == "bert":
            return AutoTokenizer.from_pretrained(
                assets.offline_checkpoint()
            )
        return assets.trained_tokenizer(assets.SMOKE_TOKENIZER[name])

    def model(self, name, auto_class=None, **config_overrides):
        """A model of checkpoint `name` with the head of `auto_class`
        (default: AutoModel).

        In the smoke profile, `bert` is the pretrained offline MiniLM
        and the other three are tiny random models of their architecture
        (no pretrained weights are offline).
        """
        import transformers

        auto_class = auto_class or transformers.AutoModel
        self._check_declared(name)
        if self.profile != "smoke":
            return auto_class.from_pretrained(
                registry.CHECKPOINTS[name], **config_overrides
            )
        if name == "bert":
            return auto_class.from_pretrained(
                assets.offline_checkpoint(), **config_overrides
            )
        config = assets.tiny_config(name, self.tokenizer(name))
        for key, value in config_overrides.items():
            setattr(config, key, value)
        return auto_class.from_config(config)

    # ------------------------------------------------------ fine-tuning
    @property
    def checkpoint(self):
        """What the fine-tuning task starts from, for
        `AutoTokenizer`/`AutoModelFor... .from_pretrained`: the hub id,
        or in the smoke profile the offline MiniLM's folder (the only
        pretrained weights offline, so it stands in for all three)."""
        if self.task is None:
            raise CourseError(
                "This run has no fine-tuning task. Fix: name it in "
                "setup, e.g. setup(profile, task='sst2')."
            )
        if self.profile == "smoke":
            return assets.offline_checkpoint()
        return registry.CHECKPOINTS[registry.FINETUNING[self.task]]

    @property
    def settings(self):
        """The task's training settings in this profile (epochs,
        batch_size, ...)."""
        from types import SimpleNamespace

        # the same clear error when there is no task
        self.checkpoint  # noqa: B018
        return SimpleNamespace(
            **registry.TRAINING[self.profile][self.task]
        )

    def output_dir(self, name):
        """Where training writes checkpoints: BERTCOURSE_OUTPUT (in
        Colab, a folder on a mounted Google Drive survives a
        disconnect), else ./outputs; one folder per profile and
        experiment."""
        from pathlib import Path

        return (
            Path(os.environ.get(OUTPUT_ENV) or "outputs")
            / self.profile
            / name
        )

    # --------------------------------------------------------- training
    def precision_args(self):
        """The TrainingArguments flags for this run's device and
        precision."""
        return {
            "fp32": {"use_cpu": self.device == "cpu"},
            "fp16": {"fp16": True},
            "bf16": {"bf16": True},
        }[self.precision]

    # ----------------------------------------------------------- banner
    def banner(self, checkpoints=None):
        """A few short lines (they fit the book's column): what ran, and
        why."""
        checkpoints = (
            self.checkpoints if checkpoints is None else checkpoints
        )
        device = (
            self.device
            if self.device == "cpu"
            else f"{self.device} ({self.device_name})"
        )
        lines = [
            f"profile={self.profile} | device={device}",
            f"  precision={self.precision} | seed={self.seed}",
            f"profile chosen by: {self.why}",
        ]
        other = ", ".join(
            repr(p) for p in PROFILES if p != self.profile
        )
        lines.append(f"  other profiles: {other} (parameters cell)")
        for name in checkpoints:
            lines.append(f"{name} = {self.checkpoint_name(name)}")
        if self.task is not None:
            finetuned = registry.FINETUNING[self.task]
            if self.profile == "smoke":
                lines.append(
                    f"fine-tunes {registry.OFFLINE_CHECKPOINT_NAME}"
                )
                lines.append(
                    "  standing in for "
                    f"{registry.CHECKPOINTS[finetuned]}"
                )
            else:
                lines.append(
                    f"fine-tunes {registry.CHECKPOINTS[finetuned]}"
                )
            s = self.settings
            lines.append(
                f"training: {s.epochs} epochs, batch {s.batch_size}, "
                f"lr {s.learning_rate:g}, max {s.max_length} "
                "tokens"
            )
        for name, dataset in self.datasets.items():
            sizes = " ".join(
                f"{split}={len(rows):,}"
                for split, rows in dataset.items()
            )
            lines.append(f"data {dataset_label(self.profile, name)}:")
            lines.append(f"  {sizes}")
        if self.profile == "smoke":
            lines.append(
                "smoke profile: mini datasets and small models;"
            )
            lines.append(
                "  its numbers are not results on the real datasets."
            )
            if self.device == "cuda":
                lines.append(
                    "a GPU is available: set profile = 'course' for "
                    "the real models."
                )
        if self.rehearsal:
            from .rehearsal import banner_lines

            lines += banner_lines()
        elif self.profile == "course" and self.device == "cpu":
            lines.append(
                "no GPU: the course profile will be slow on a CPU."
            )
        return "\n".join(f"{BANNER} {line}" for line in lines)

    def expect(self, passed, failure):
        """A check of a result (a model beats its baseline):
        AssertionError(failure) unless `passed`. In the rehearsal the
        models are random stand-ins that learn nothing, so the check
        prints its verdict instead of stopping (see
        bertcourse.rehearsal)."""
        if passed:
            return True
        if self.rehearsal:
            print(
                "[rehearsal] check not enforced (random stand-ins): "
                f"{failure}"
            )
            return False
        raise AssertionError(failure)

    def has_masked_lm_head(self, name):
        """Whether checkpoint `name` comes with a trained masked-LM head
        in this profile (a registry fact; notebooks branch on it instead
        of on the profile's name)."""
        _check_name(name, registry.CHECKPOINTS, "checkpoint")
        if self.profile != "smoke":
            loaded = registry.CHECKPOINTS[name]
        # the offline MiniLM for bert, tiny random models for the others
        else:
            loaded = (
                registry.OFFLINE_CHECKPOINT_PACKAGE
                if name == "bert"
                else None
            )
        return loaded in registry.TRAINED_MASKED_LM_HEAD


def dataset_label(profile, name):
    if profile == "smoke":
        return f"{name} (course mini set, offline)"
    path, config, _ = registry.DATASETS[name]
    return f"{path}" + (f"/{config}" if config else "")


def load_dataset(profile, name, seed=0):
    """The splits of dataset `name` that the profile uses, subsampled
    with `seed`."""
    import datasets

    _check_name(name, registry.DATASETS, "dataset")
    if profile == "smoke":
        full = assets.mini_dataset(name)
        # the course's splits, whole unless SPLIT_SIZES["smoke"] makes
        # one smaller
        sizes = {
            **dict.fromkeys(registry.SPLIT_SIZES["course"][name]),
            **registry.SPLIT_SIZES["smoke"].get(name, {}),
        }
    else:
        path, config, revision = registry.DATASETS[name]
        # the hub's datasets are not reachable offline
        if registry.rehearsing():
            from .rehearsal import load_hub_dataset as load
        else:
            load = datasets.load_dataset
        full = load(path, config, revision=revision)
        sizes = registry.SPLIT_SIZES[profile][name]
    out = {}
    for split, size in sizes.items():
        rows = full[split]
        if size is not None and size < len(rows):
            rows = rows.shuffle(seed=seed).select(range(size))
        out[split] = rows
    return datasets.DatasetDict(out)


def _check_name(name, known, what):
    if not isinstance(name, str) or name not in known:
        raise CourseError(
            f"Unknown {what} {name!r}; choose one of: "
            f"{', '.join(known)}."
        )


def _as_names(names, what):
    """A list of names from a list, or from one name given alone."""
    if isinstance(names, str):
        return [names]
    try:
        return list(names)
    except TypeError:
        raise CourseError(
            f"{what} takes a list of names, e.g. {what}=['bert']; got "
            f"{names!r}."
        ) from None


def _check_seed(seed):
    import numbers

    if (
        isinstance(seed, bool)
        or not isinstance(seed, numbers.Integral)
        or not 0 <= seed < 2**32
    ):
        raise CourseError(
            "The seed must be a whole number from 0 to 2**32 - 1; "
            f"got {seed!r}. Fix: e.g. setup(profile, seed=0)."
        )
    return int(seed)


def setup(
    profile=None,
    checkpoints=(),
    datasets=(),
    task=None,
    seed=0,
    quiet_libraries=True,
):
    """Resolve the profile, check it can run here, seed everything, load
    the datasets, print the banner and return the Run.

    `task` (sst2, conll2003 or squad) is for the fine-tuning chapters:
    it loads the task's dataset and sets `run.checkpoint` and
    `run.settings`.
    """
    device, device_name = choose_device()
    name, why = choose_profile(profile, gpu=device == "cuda")
    checkpoints = _as_names(checkpoints, "checkpoints")
    datasets = _as_names(datasets, "datasets")
    for checkpoint in checkpoints:
        _check_name(checkpoint, registry.CHECKPOINTS, "checkpoint")
    for dataset in datasets:
        _check_name(dataset, registry.DATASETS, "dataset")
    if task is not None:
        _check_name(task, registry.FINETUNING, "task")
        datasets = list(dict.fromkeys([*datasets, task]))
    seed = _check_seed(seed)
    # The smoke profile loads only local files (the MiniLM's folder, the
    # mini datasets on disk), so it needs no HF_HUB_OFFLINE: setting it
    # would stay set in this kernel and make a later course setup
    # offline too. The rehearsal's hub is a local cache of stand-ins
    # (bertcourse.rehearsal).
    reachable = (
        name == "smoke" or registry.rehearsing() or has_network()
    )
    check_requirements(name, device, network=reachable)
    import transformers

    transformers.set_seed(seed)
    if quiet_libraries:
        # Load reports, hub notices and loading bars change from run to
        # run and release to release, and nbval compares them; the
        # notebooks say in prose what they mean. Training progress stays
        # visible (those cells are tagged nbval-ignore-output).
        import datasets as hf_datasets
        import huggingface_hub

        transformers.logging.set_verbosity_error()
        transformers.logging.disable_progress_bar()
        hf_datasets.disable_progress_bars()
        huggingface_hub.utils.disable_progress_bars()
    from .plotting import sharp_figures

    # every notebook's figures at twice the pixels (nothing outside
    # IPython)
    sharp_figures()
    run = Run(
        profile=name,
        device=device,
        device_name=device_name,
        precision=choose_precision(device),
        seed=seed,
        checkpoints=tuple(checkpoints),
        task=task,
        why=why,
        rehearsal=name != "smoke" and registry.rehearsing(),
    )
    run.datasets = LoadedDatasets(
        {d: load_dataset(name, d, seed) for d in datasets}
    )
    print(run.banner())
    return run


__all__ = ["PROFILES", "Run", "has_network", "load_dataset", "setup"]
