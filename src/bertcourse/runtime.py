"""Start of every notebook: choose the profile, device, precision and seed; load what
the notebook needs; print one banner line that says all of it."""

import os
import socket
from dataclasses import dataclass, field

from . import assets, registry
from .errors import CourseError
from .profiles import PROFILES, resolve_profile

HUB_HOST = "huggingface.co"


def has_network(timeout=3.0):
    """Whether the model hub can be reached (and is not switched off by HF_HUB_OFFLINE)."""
    if os.environ.get("HF_HUB_OFFLINE", "").lower() in {"1", "true", "yes"}:
        return False
    try:
        socket.create_connection((HUB_HOST, 443), timeout=timeout).close()
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
    """bf16 where the GPU supports it (A100, H100), fp16 on older GPUs (T4), fp32 on a CPU."""
    import torch

    if device != "cuda":
        return "fp32"
    # including_emulation=False: a T4 can emulate bf16 tensors, but only slowly.
    return "bf16" if torch.cuda.is_bf16_supported(including_emulation=False) else "fp16"


def check_requirements(profile, device, network):
    """Stop with one message that names the fix when the profile cannot run here."""
    if profile in {"course", "full"} and not network:
        raise CourseError(
            f"The {profile!r} profile downloads checkpoints and datasets from the Hugging Face "
            f"hub, and this machine cannot reach {HUB_HOST}. Fix: connect to the internet "
            "(for example, open the notebook in Colab), or run offline with the smoke profile: "
            "set profile = 'smoke' in the parameters cell, or BERTCOURSE_PROFILE=smoke."
        )
    if profile == "full" and device != "cuda":
        raise CourseError(
            "The 'full' profile trains with the papers' settings and needs a CUDA GPU, and "
            "none is visible (torch.cuda.is_available() is False). Fix: in Colab choose "
            "Runtime > Change runtime type > GPU; or use profile = 'course' or 'smoke'."
        )


@dataclass
class Run:
    """What a notebook runs with. Create it with `setup(...)`."""

    profile: str
    device: str
    device_name: str
    precision: str
    seed: int
    datasets: dict = field(default_factory=dict)

    # ------------------------------------------------------------ checkpoints
    def checkpoint_name(self, name):
        """What `name` stands for in this profile, for people to read."""
        _check_name(name, registry.CHECKPOINTS, "checkpoint")
        if self.profile != "smoke":
            return registry.CHECKPOINTS[name]
        if name == "bert":
            return registry.OFFLINE_CHECKPOINT_NAME
        return f"tiny random {name} + course-trained {assets.SMOKE_TOKENIZER[name]} tokenizer"

    def tokenizer(self, name):
        from transformers import AutoTokenizer

        _check_name(name, registry.CHECKPOINTS, "checkpoint")
        if self.profile != "smoke":
            return AutoTokenizer.from_pretrained(registry.CHECKPOINTS[name])
        if name == "bert":
            return AutoTokenizer.from_pretrained(assets.offline_checkpoint())
        return assets.trained_tokenizer(assets.SMOKE_TOKENIZER[name])

    def model(self, name, auto_class=None, **config_overrides):
        """A model of checkpoint `name` with the head of `auto_class` (default: AutoModel).

        In the smoke profile, `bert` is the pretrained offline MiniLM and the other three
        are tiny random models of their architecture (no pretrained weights are offline).
        """
        import transformers

        auto_class = auto_class or transformers.AutoModel
        _check_name(name, registry.CHECKPOINTS, "checkpoint")
        if self.profile != "smoke":
            return auto_class.from_pretrained(registry.CHECKPOINTS[name], **config_overrides)
        if name == "bert":
            return auto_class.from_pretrained(assets.offline_checkpoint(), **config_overrides)
        config = assets.tiny_config(name, self.tokenizer(name))
        for key, value in config_overrides.items():
            setattr(config, key, value)
        return auto_class.from_config(config)

    # ------------------------------------------------------------ training
    def precision_args(self):
        """The TrainingArguments flags for this run's device and precision."""
        return {"fp32": {"use_cpu": self.device == "cpu"}, "fp16": {"fp16": True},
                "bf16": {"bf16": True}}[self.precision]

    # ------------------------------------------------------------ banner
    def banner(self, checkpoints=()):
        device = self.device if self.device == "cpu" else f"{self.device} ({self.device_name})"
        parts = [f"profile={self.profile}", f"device={device}", f"precision={self.precision}",
                 f"seed={self.seed}"]
        if checkpoints:
            parts.append("checkpoints: " + ", ".join(f"{c}={self.checkpoint_name(c)}" for c in checkpoints))
        for name, dataset in self.datasets.items():
            sizes = " ".join(f"{split}={len(rows):,}" for split, rows in dataset.items())
            parts.append(f"{dataset_label(self.profile, name)}: {sizes}")
        line = "[bertcourse] " + " | ".join(parts)
        if self.profile == "smoke":
            line += "\n[bertcourse] smoke profile: mini datasets and small models; its numbers are not results on the real datasets."
            if self.device == "cuda":
                line += "\n[bertcourse] a GPU is available: set profile = 'course' for the real checkpoints and datasets."
        if self.profile == "course" and self.device == "cpu":
            line += "\n[bertcourse] no GPU: the course profile will be slow on a CPU."
        return line

    def has_masked_lm_head(self, name):
        """Whether checkpoint `name` comes with a trained masked-LM head in this profile
        (a registry fact; notebooks branch on it instead of on the profile's name)."""
        _check_name(name, registry.CHECKPOINTS, "checkpoint")
        if self.profile != "smoke":
            loaded = registry.CHECKPOINTS[name]
        else:  # the offline MiniLM for bert, tiny random models for the others
            loaded = registry.OFFLINE_CHECKPOINT_PACKAGE if name == "bert" else None
        return loaded in registry.TRAINED_MASKED_LM_HEAD


def dataset_label(profile, name):
    if profile == "smoke":
        return f"{name} (course mini set, offline)"
    path, config, _ = registry.DATASETS[name]
    return f"{path}" + (f"/{config}" if config else "")


def load_dataset(profile, name, seed=0):
    """The splits of dataset `name` that the profile uses, subsampled with `seed`."""
    import datasets

    _check_name(name, registry.DATASETS, "dataset")
    if profile == "smoke":
        full = assets.mini_dataset(name)
        splits = list(registry.SPLIT_SIZES["course"][name])
        return datasets.DatasetDict({split: full[split] for split in splits})
    path, config, revision = registry.DATASETS[name]
    full = datasets.load_dataset(path, config, revision=revision)
    out = {}
    for split, size in registry.SPLIT_SIZES[profile][name].items():
        rows = full[split]
        if size is not None and size < len(rows):
            rows = rows.shuffle(seed=seed).select(range(size))
        out[split] = rows
    return datasets.DatasetDict(out)


def _check_name(name, known, what):
    if name not in known:
        raise CourseError(f"Unknown {what} {name!r}; choose one of: {', '.join(known)}.")


def setup(profile=None, checkpoints=(), datasets=(), seed=0, quiet_libraries=True):
    """Resolve the profile, check it can run here, seed everything, load the datasets,
    print the banner and return the Run."""
    name = resolve_profile(profile)
    if name == "smoke":
        # Nothing in the smoke profile may touch the network.
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["HF_DATASETS_OFFLINE"] = "1"
    device, device_name = choose_device()
    check_requirements(name, device, network=name == "smoke" or has_network())
    import transformers

    transformers.set_seed(seed)
    if quiet_libraries:
        # Load reports, hub notices and loading bars change from run to run and release
        # to release, and nbval compares them; the notebooks say in prose what they mean.
        # Training progress stays visible (those cells are tagged nbval-ignore-output).
        import datasets as hf_datasets
        import huggingface_hub

        transformers.logging.set_verbosity_error()
        transformers.logging.disable_progress_bar()
        hf_datasets.disable_progress_bars()
        huggingface_hub.utils.disable_progress_bars()
    for checkpoint in checkpoints:
        _check_name(checkpoint, registry.CHECKPOINTS, "checkpoint")
    run = Run(profile=name, device=device, device_name=device_name,
              precision=choose_precision(device), seed=seed)
    run.datasets = {d: load_dataset(name, d, seed) for d in datasets}
    print(run.banner(checkpoints))
    return run


__all__ = ["Run", "setup", "PROFILES", "has_network", "load_dataset"]
