"""Counting parameters, as chapter 1 teaches it; later chapters import
it from here."""


def count_parameters(model):
    """Number of distinct parameters: a tensor used in several places
    counts once."""
    return sum(p.numel() for p in model.parameters())


def build_on_meta(config):
    """The base model of `config` (or of a registry architecture name)
    with shapes only, on PyTorch's meta device: no memory, no values, no
    download."""
    import torch
    from transformers import AutoModel

    from .registry import reference_config

    if isinstance(config, str):
        config = reference_config(config)
    with torch.device("meta"):
        return AutoModel.from_config(config)
