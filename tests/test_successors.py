"""Chapter 11's registry entries: the published configurations of
ELECTRA-base, DeBERTa-v3-base and ModernBERT-base give the parameter
counts their model cards state, and the chapter's plan exists for every
profile and is one a verdict can come out of."""

import pytest

from bertcourse import registry
from bertcourse.models import build_on_meta, count_parameters
from bertcourse.profiles import PROFILES


@pytest.mark.parametrize(
    "name, total, embeddings",
    [
        # ELECTRA-base discriminator: BERT-base's shapes without the
        # pooler (109,482,240 - 590,592)
        ("electra-base", 108_891_648, 23_837_184),
        # DeBERTa-v3-base: "86M backbone parameters ... 98M parameters
        # in the Embedding layer" (the microsoft/deberta-v3-base model
        # card)
        ("deberta-v3-base", 183_831_552, 98_382_336),
        # ModernBERT-base: "22 layers, 149 million parameters"
        # (answerdotai/ModernBERT-base card)
        ("modernbert-base", 149_014_272, 38_683_392),
    ],
)
def test_parameter_counts_of_the_published_configurations(
    name, total, embeddings
):
    model = build_on_meta(name)
    assert count_parameters(model) == total
    assert count_parameters(model.embeddings) == embeddings


def test_modernbert_alternates_one_global_layer_in_three():
    config = registry.reference_config("modernbert-base")
    assert config.layer_types == [
        "full_attention" if i % 3 == 0 else "sliding_attention"
        for i in range(22)
    ]
    assert (
        config.local_attention == 128
        and config.max_position_embeddings == 8192
    )
    assert (
        config.rope_parameters["full_attention"]["rope_theta"]
        == 160_000
    )
    assert (
        config.rope_parameters["sliding_attention"]["rope_theta"]
        == 10_000
    )


def test_deberta_v3_attends_to_relative_positions_only():
    config = registry.reference_config("deberta-v3-base")
    assert (
        config.relative_attention and not config.position_biased_input
    )
    assert (
        set(config.pos_att_type) == {"p2c", "c2p"}
        and config.position_buckets == 256
    )


def test_the_chapter_plan_exists_for_every_profile():
    assert set(registry.SUCCESSORS) == set(PROFILES)
    for profile, plan in registry.SUCCESSORS.items():
        # a pretrained checkpoint, or the sizes of a tiny model to build
        # instead
        assert (plan["finetune"] in registry.SUCCESSOR_CHECKPOINTS) != (
            plan["tiny"] is not None
        ), profile
        assert plan["seq_lens"][0] <= plan["bert_max_len"] <= 512, (
            profile
        )
        assert (
            128 in plan["seq_lens"]
        )  # the comparison table quotes the 128-token latency
        if not registry.rehearsing():
            # bertcourse.verdicts' sign test needs 6 pairs to reach p <
            # 0.05
            assert plan["rounds"] >= 6, profile


def test_the_course_profile_fine_tunes_the_real_modernbert():
    assert (
        registry.SUCCESSOR_CHECKPOINTS[
            registry.SUCCESSORS["course"]["finetune"]
        ]
        == "answerdotai/ModernBERT-base"
    )
    assert (
        registry.SUCCESSORS["course"]["train_overrides"] == {}
    )  # chapter 6's recipe, whole
