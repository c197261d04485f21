"""AUDIO (text-to-speech) catalogue entries: ElevenLabs and Google Cloud TTS.

Both are synchronous and priced per 1,000 characters of ``input.text``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from providers.base import GenerationType, Inputs, OptionSpec, ProviderSpec
from providers.catalogue.common import (
    model_option,
    output_format_option,
    seed_option,
    speed_option,
)
from providers.pricing import PerCharacter

AUDIO = GenerationType.AUDIO

# --------------------------------------------------------------------------
# ElevenLabs: elevenlabs
# --------------------------------------------------------------------------

# Friendly names of ElevenLabs premade voices; the adapter maps them to voice ids.
ELEVENLABS_VOICES = ("rachel", "adam", "antoni", "arnold", "bella", "domi", "elli", "josh", "sam")
ELEVENLABS_EMOTIONS = (
    "neutral",
    "excited",
    "cheerful",
    "calm",
    "serious",
    "sad",
    "angry",
    "whispering",
)
ELEVEN_V3_MAX_CHARS = 3000


def eleven_v3_text_length(options: Mapping[str, Any], inputs: Inputs) -> str | None:
    length = len(inputs.text or "")
    if options.get("model") == "v3" and length > ELEVEN_V3_MAX_CHARS:
        return (
            f"input.text has {length} characters but options.model 'v3' accepts at most "
            f"{ELEVEN_V3_MAX_CHARS}; shorten the text or use model 'multilingual-v2'."
        )
    return None


ELEVENLABS = ProviderSpec(
    id="elevenlabs",
    name="ElevenLabs TTS",
    vendor="ElevenLabs",
    type=AUDIO,
    description=(
        "The most natural AI voices, with emotional control and support for many languages."
    ),
    models=("eleven_multilingual_v2", "eleven_turbo_v2_5", "eleven_flash_v2_5", "eleven_v3"),
    features=(
        "Lifelike premade voices (rachel, adam, bella…)",
        "Emotion and speed control",
        "29 languages with multilingual-v2 (more with v3)",
        "Low-latency turbo and flash models at half the price",
    ),
    limitations=(
        "Voice cloning is not exposed through Doitong",
        "Only the listed premade voices",
        "Up to 5000 characters per job (3000 with v3)",
    ),
    options=(
        OptionSpec(
            name="voice",
            type="string",
            description=(
                "Voice name; Doitong maps it to the matching ElevenLabs premade voice id."
            ),
            allowed_values=ELEVENLABS_VOICES,
            default="rachel",
        ),
        model_option(
            ("multilingual-v2", "turbo-v2.5", "flash-v2.5", "v3"),
            "multilingual-v2",
            "'multilingual-v2' (most natural), 'turbo-v2.5' or 'flash-v2.5' (fast, half "
            "price) or 'v3' (most expressive).",
        ),
        OptionSpec(
            name="emotion",
            type="string",
            description=(
                "Delivery. ElevenLabs has no emotion field: with model v3 the adapter adds "
                "an audio tag such as [excited]; other models get matching voice settings "
                "(stability and style)."
            ),
            allowed_values=ELEVENLABS_EMOTIONS,
            default="neutral",
        ),
        speed_option(0.7, 1.2, 1.0, "Speaking rate: 1.0 is normal, 0.7 slowest, 1.2 fastest."),
        seed_option(),
        output_format_option(
            ("mp3", "wav"),
            "mp3",
            "Audio format: 'mp3' (44.1 kHz, 128 kbps) or 'wav' (16-bit PCM).",
        ),
    ),
    price=PerCharacter(
        credits_per_1000=300,  # ≈ $0.15 per 1,000 characters
        minimum=5,
        by={"model": {"turbo-v2.5": 0.5, "flash-v2.5": 0.5}},
    ),
    estimated_time=3,
    quality=10,
    speed=8,
    credentials=("ELEVENLABS_API_KEY",),
    adapter="providers.vendors.elevenlabs.ElevenLabsAdapter",
    doc_url="https://elevenlabs.io/docs/api-reference/text-to-speech/convert",
    max_text_length=5000,
    rules=(eleven_v3_text_length,),
    category="avatar-tts",
    tags=("Natural voices", "Emotional control", "29 languages", "Voice cloning"),
)

# --------------------------------------------------------------------------
# Google Cloud Text-to-Speech: google-tts
# --------------------------------------------------------------------------

# Voice families Google bills above WaveNet/Neural2 rates; not offered here.
GOOGLE_PREMIUM_VOICES = ("Studio", "Chirp", "Journey")


def google_standard_voices_only(options: Mapping[str, Any], inputs: Inputs) -> str | None:
    voice = options.get("voice") or ""
    if any(family.lower() in voice.lower() for family in GOOGLE_PREMIUM_VOICES):
        return (
            f"options.voice {voice!r} is a premium Google voice (Studio, Chirp, Journey…), "
            "which Doitong does not offer; use a Standard, WaveNet or Neural2 voice such "
            "as 'en-US-Neural2-F'."
        )
    return None


def google_input_bytes(options: Mapping[str, Any], inputs: Inputs) -> str | None:
    """Google's limit is 5,000 bytes of UTF-8, not characters."""
    size = len((inputs.text or "").encode())
    if size > 5000:
        return (
            f"input.text is {size} bytes of UTF-8; Google TTS accepts at most 5000 "
            "(non-Latin scripts use 2–4 bytes a character)."
        )
    return None


GOOGLE_TTS = ProviderSpec(
    id="google-tts",
    name="Google TTS",
    vendor="Google Cloud",
    type=AUDIO,
    description=(
        "Google's neural text-to-speech with WaveNet voices. Over 380 voices in 50+ "
        "languages with SSML support."
    ),
    models=("wavenet", "neural2", "standard"),
    features=(
        "Hundreds of Standard, WaveNet and Neural2 voices",
        "50+ languages and variants",
        "SSML: send input.text starting with <speak>",
        "Speaking rate and pitch control",
    ),
    limitations=(
        "Up to 5000 bytes of text (fewer characters for non-Latin scripts)",
        "Studio, Chirp and Journey voices are not offered",
        "No emotion control beyond SSML prosody",
    ),
    options=(
        OptionSpec(
            name="voice",
            type="string",
            description=(
                "Google voice name, e.g. 'en-US-Neural2-F', 'en-GB-Wavenet-B' or "
                "'pt-BR-Neural2-A'; the language comes from the name."
            ),
            default="en-US-Neural2-F",
            max_length=64,
        ),
        speed_option(0.25, 4.0, 1.0, "Speaking rate: 1.0 is normal, 0.25 to 4."),
        OptionSpec(
            name="pitch",
            type="number",
            description="Pitch shift in semitones, -20 to 20.",
            default=0,
            minimum=-20,
            maximum=20,
            unit="semitones",
        ),
        output_format_option(
            ("mp3", "wav", "ogg"),
            "mp3",
            "Audio format: 'mp3', 'wav' (16-bit PCM) or 'ogg' (Opus).",
        ),
    ),
    price=PerCharacter(credits_per_1000=32, minimum=1),  # WaveNet/Neural2 $16 per 1M chars
    estimated_time=2,
    quality=7,
    speed=10,
    credentials=("GOOGLE_TTS_API_KEY",),
    adapter="providers.vendors.google.GoogleTtsAdapter",
    doc_url="https://cloud.google.com/text-to-speech/docs/reference/rest/v1/text/synthesize",
    max_text_length=5000,
    rules=(google_standard_voices_only, google_input_bytes),
    category="avatar-tts",
    tags=("380+ voices", "50+ languages", "WaveNet", "SSML"),
)

ENTRIES: tuple[ProviderSpec, ...] = (ELEVENLABS, GOOGLE_TTS)
