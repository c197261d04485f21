"""The catalogue declarations: ids, option vocabulary, seed examples, prices and rules.

Plain data checks: no database, no Django.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pytest

from providers.base import GenerationType, Inputs, ProviderSpec
from providers.catalogue import CATALOGUE

PROMPT = "A serene mountain landscape at sunset"
IMAGE_URL = "https://example.com/character.jpg"
BY_ID = {spec.id: spec for spec in CATALOGUE}

SPEC_IDS = {
    GenerationType.VIDEO: {
        "kling",
        "minimax",
        "veo-3",
        "runway",
        "luma",
        "seedance",
        "wan",
        "vidu",
        "kling-animation",
        "runway-animation",
    },
    GenerationType.IMAGE: {
        "imagen-3",
        "flux-dev",
        "flux-pro",
        "flux-pro-1.1",
        "flux-ultra",
        "flux-kontext",
        "flux-krea",
        "minimax-image",
        "stable-diffusion",
    },
    GenerationType.AUDIO: {"elevenlabs", "google-tts"},
    GenerationType.AVATAR: {"hedra", "heygen"},
}
CATEGORIES = {"text-to-video", "image-to-video", "text-to-image", "avatar-tts"}
CAMEL_CASE = re.compile(r"^[a-z][a-zA-Z0-9]*$")


def clean(spec: ProviderSpec, options: Mapping[str, Any]) -> dict[str, Any]:
    """Clean ``options`` against ``spec``'s declarations; unknown names fail the test."""
    cleaned = {}
    for name, value in options.items():
        option = spec.option(name)
        assert option is not None, f"{spec.id} does not declare options.{name}"
        cleaned[name] = option.clean(value)
    return cleaned


def defaults(spec: ProviderSpec) -> dict[str, Any]:
    return {opt.name: opt.default for opt in spec.options if opt.default is not None}


def inputs_for(spec: ProviderSpec, **extra: str) -> Inputs:
    """Inputs that satisfy the entry's required inputs: a prompt, plus an image if needed."""
    fields: dict[str, str] = {"text": PROMPT}
    if spec.image_input == "required" or "image" in spec.required_inputs:
        fields["image"] = IMAGE_URL
    fields.update(extra)
    return Inputs(**fields)


def broken_rules(spec: ProviderSpec, options: Mapping[str, Any], inputs: Inputs) -> list[str]:
    merged = {**defaults(spec), **options}
    return [message for rule in spec.rules if (message := rule(merged, inputs))]


def all_options():
    return [
        pytest.param(spec, opt, id=f"{spec.id}.{opt.name}")
        for spec in CATALOGUE
        for opt in spec.options
    ]


entries = pytest.mark.parametrize("spec", CATALOGUE, ids=lambda spec: spec.id)


# --------------------------------------------------------------------------
# Ids and shape
# --------------------------------------------------------------------------


def test_the_catalogue_has_exactly_23_entries_with_unique_ids():
    ids = [spec.id for spec in CATALOGUE]
    assert len(ids) == 23
    assert len(set(ids)) == 23


def test_the_ids_are_the_ones_spec_md_names_for_each_type():
    for kind, expected in SPEC_IDS.items():
        assert {spec.id for spec in CATALOGUE if spec.type == kind} == expected


def test_the_counts_per_type_are_10_video_9_image_2_audio_2_avatar():
    counts = {kind: sum(spec.type == kind for spec in CATALOGUE) for kind in GenerationType}
    assert counts == {
        GenerationType.VIDEO: 10,
        GenerationType.IMAGE: 9,
        GenerationType.AUDIO: 2,
        GenerationType.AVATAR: 2,
    }


def test_the_catalogue_lists_video_then_image_then_audio_then_avatar():
    order = [GenerationType.VIDEO, GenerationType.IMAGE, GenerationType.AUDIO]
    order.append(GenerationType.AVATAR)
    kinds = [spec.type for spec in CATALOGUE]
    assert kinds == sorted(kinds, key=order.index)


@entries
def test_every_entry_is_fully_described(spec):
    assert spec.name and spec.vendor and spec.description
    assert spec.models and spec.features and spec.limitations and spec.tags
    assert spec.category in CATEGORIES
    assert spec.credentials and all(re.fullmatch(r"[A-Z][A-Z0-9_]+", c) for c in spec.credentials)
    assert spec.adapter.startswith("providers.vendors.")
    assert spec.doc_url.startswith("https://")
    assert 1 <= spec.quality <= 10 and 1 <= spec.speed <= 10
    assert spec.estimated_time > 0 and spec.max_text_length > 0


def test_image_to_video_entries_require_an_image_and_the_others_do_not():
    required = {spec.id for spec in CATALOGUE if spec.image_input == "required"}
    assert required == {"kling-animation", "runway-animation", "hedra"}
    for spec_id in ("kling", "minimax", "runway", "luma", "vidu", "flux-kontext"):
        assert BY_ID[spec_id].image_input == "optional"


# --------------------------------------------------------------------------
# Options
# --------------------------------------------------------------------------


@pytest.mark.parametrize(("spec", "option"), all_options())
def test_every_option_is_camel_case_and_described(spec, option):
    assert CAMEL_CASE.match(option.name), option.name
    assert option.description.strip()
    if option.allowed_values is not None:
        assert option.allowed_values, f"{spec.id}.{option.name} has an empty enum"


@pytest.mark.parametrize(("spec", "option"), all_options())
def test_every_option_default_passes_its_own_clean(spec, option):
    if option.default is not None:
        assert option.clean(option.default) == option.default


@entries
def test_no_entry_declares_an_option_twice(spec):
    names = [opt.name for opt in spec.options]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("spec", [s for s in CATALOGUE if s.type == GenerationType.VIDEO])
def test_every_video_entry_declares_aspect_ratio_and_duration_in_seconds(spec):
    ratio, duration = spec.option("aspectRatio"), spec.option("duration")
    assert ratio is not None and ratio.default is not None
    assert duration is not None and duration.default is not None
    assert duration.type == "integer" and duration.unit == "seconds"
    assert all(isinstance(v, int) for v in duration.allowed_values)


@pytest.mark.parametrize("spec", [s for s in CATALOGUE if s.type == GenerationType.AVATAR])
def test_every_avatar_entry_declares_an_aspect_ratio(spec):
    assert spec.option("aspectRatio").default is not None


@pytest.mark.parametrize("spec", [s for s in CATALOGUE if s.type == GenerationType.IMAGE])
def test_every_image_entry_declares_aspect_ratio_and_output_format(spec):
    assert spec.option("aspectRatio").default is not None
    output_format = spec.option("outputFormat")
    assert output_format.default in ("png", "jpeg", "webp")
    assert set(output_format.allowed_values) <= {"png", "jpeg", "webp"}


def test_flux_dev_and_pro_take_width_and_height_in_pixels():
    for spec_id in ("flux-dev", "flux-pro"):
        for name in ("width", "height"):
            option = BY_ID[spec_id].option(name)
            assert (option.type, option.minimum, option.maximum) == ("integer", 256, 1440)


@pytest.mark.parametrize("spec", [s for s in CATALOGUE if s.type == GenerationType.AUDIO])
def test_every_audio_entry_defaults_to_mp3(spec):
    assert spec.option("outputFormat").default == "mp3"


# --------------------------------------------------------------------------
# The seeds' examples
# --------------------------------------------------------------------------

SEED_EXAMPLES = [
    ("minimax", {"duration": 10, "resolution": "1080p", "style": "cinematic"}, {}),
    ("kling", {"mode": "pro", "duration": 10, "aspectRatio": "16:9"}, {}),
    ("runway", {"motionIntensity": "high", "model": "gen-3"}, {"image": IMAGE_URL}),
    ("flux-ultra", {"aspectRatio": "16:9", "quality": "ultra", "seed": 42}, {}),
    ("flux-ultra", {"aspectRatio": "16:9", "quality": "ultra"}, {}),
    ("elevenlabs", {"voice": "rachel", "emotion": "excited", "speed": 1.0}, {}),
    ("elevenlabs", {"voice": "rachel", "emotion": "excited"}, {}),
    (
        "heygen",
        {"avatarId": "kate", "background": "modern_office", "gesture": "friendly"},
        {"voice": "professional_female"},
    ),
    ("luma", {"duration": 9}, {}),
]


@pytest.mark.parametrize(
    ("spec_id", "options", "extra_inputs"),
    SEED_EXAMPLES,
    ids=[f"{example[0]}-{i}" for i, example in enumerate(SEED_EXAMPLES)],
)
def test_each_seed_example_passes_the_named_entry(spec_id, options, extra_inputs):
    spec = BY_ID[spec_id]
    cleaned = clean(spec, options)
    assert broken_rules(spec, cleaned, inputs_for(spec, **extra_inputs)) == []


@pytest.mark.parametrize(
    "options",
    [
        {"duration": 10, "resolution": "1080p"},
        {"duration": 10, "resolution": "1080p", "style": "cinematic"},
    ],
)
def test_the_auto_selected_video_examples_fit_at_least_one_video_entry(options):
    fits = []
    for spec in CATALOGUE:
        if spec.type != GenerationType.VIDEO or spec.image_input == "required":
            continue
        try:
            cleaned = clean(spec, options)
        except (AssertionError, ValueError):
            continue
        if not broken_rules(spec, cleaned, Inputs(text=PROMPT)):
            fits.append(spec.id)
    assert "minimax" in fits


def test_string_enums_match_case_insensitively_and_normalise():
    assert BY_ID["kling"].option("mode").clean("PRO") == "pro"


# --------------------------------------------------------------------------
# Prices
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec_id", "credits"),
    [("flux-dev", 50), ("flux-pro", 100), ("flux-pro-1.1", 250), ("flux-ultra", 200)],
)
def test_the_seed_prices_of_the_flux_entries_hold_for_default_options(spec_id, credits):
    spec = BY_ID[spec_id]
    assert spec.price(defaults(spec), inputs_for(spec)) == credits


@entries
def test_every_price_is_a_positive_whole_number_of_credits_for_defaults(spec):
    price = spec.price(defaults(spec), inputs_for(spec))
    assert isinstance(price, int) and price > 0
    assert spec.price.describe()


def test_video_prices_grow_with_duration_and_options_that_cost_more():
    kling, minimax = BY_ID["kling"], BY_ID["minimax"]
    text = Inputs(text=PROMPT)
    std = kling.price({**defaults(kling), "duration": 10}, text)
    pro = kling.price({**defaults(kling), "duration": 10, "mode": "pro"}, text)
    assert kling.price(defaults(kling), text) < std < pro
    assert minimax.price({"duration": 6, "resolution": "1080p"}, text) > minimax.price(
        {"duration": 6, "resolution": "768p"}, text
    )


# --------------------------------------------------------------------------
# Rules
# --------------------------------------------------------------------------


@entries
def test_every_rule_accepts_the_defaults(spec):
    assert broken_rules(spec, {}, inputs_for(spec)) == []


def test_runway_rejects_gen_3_and_gen_4_without_an_image():
    runway = BY_ID["runway"]
    for model in ("gen-3", "gen-4"):
        [message] = broken_rules(runway, {"model": model}, Inputs(text=PROMPT))
        assert f"options.model '{model}'" in message and "input.image" in message
    assert broken_rules(runway, {"model": "gen-4.5"}, Inputs(text=PROMPT)) == []


def test_flux_sizes_must_be_multiples_of_32():
    flux = BY_ID["flux-dev"]
    [message] = broken_rules(flux, {"width": 1000, "height": 768}, Inputs(text=PROMPT))
    assert "options.width" in message and "32" in message
    assert broken_rules(flux, {"width": 1024, "height": 768}, Inputs(text=PROMPT)) == []


def test_veo_3_renders_1080p_in_16_9_only():
    veo = BY_ID["veo-3"]
    [message] = broken_rules(veo, {"resolution": "1080p", "aspectRatio": "9:16"}, Inputs(PROMPT))
    assert "options.resolution '1080p'" in message


def test_minimax_does_not_reject_1080p_for_10_seconds_but_rejects_512p_without_an_image():
    minimax = BY_ID["minimax"]
    text = Inputs(text=PROMPT)
    assert broken_rules(minimax, {"duration": 10, "resolution": "1080p"}, text) == []
    assert broken_rules(minimax, {"resolution": "512p"}, text)
    assert broken_rules(minimax, {"resolution": "512p"}, Inputs(PROMPT, image=IMAGE_URL)) == []


def test_hedra_needs_text_or_audio_with_its_portrait():
    hedra = BY_ID["hedra"]
    assert broken_rules(hedra, {}, Inputs(image=IMAGE_URL))
    assert broken_rules(hedra, {}, Inputs(image=IMAGE_URL, audio="https://example.com/a.mp3")) == []


def test_every_entry_has_an_importable_live_adapter(monkeypatch):
    """The catalogue's dotted paths match real classes, so live mode can run every entry."""
    import os

    from django.utils.module_loading import import_string

    from providers.base import ProviderAdapter
    from providers.catalogue import CATALOGUE

    for spec in CATALOGUE:
        cls = import_string(spec.adapter)
        assert issubclass(cls, ProviderAdapter), spec.id
        for name in spec.credentials:
            monkeypatch.setenv(name, "x")
        adapter = cls(spec)
        assert adapter.spec is spec
    assert os.environ.get("BFL_API_KEY") == "x"
