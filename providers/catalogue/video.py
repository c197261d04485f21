"""VIDEO catalogue entries: eight text→video providers and two image→video ones.

Text→video entries also accept an optional ``input.image`` as the first frame.
Prices are per second of output (1 credit ≈ $0.0005), scaled by the options
that change the vendor's price.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from providers.base import GenerationType, Inputs, OptionSpec, ProviderSpec
from providers.catalogue.common import (
    aspect_ratio_option,
    boolean_option,
    duration_option,
    image_url_only,
    model_option,
    needs_image,
    negative_prompt_option,
    resolution_option,
    seed_option,
)
from providers.pricing import PerSecond, Rendered

VIDEO = GenerationType.VIDEO

# --------------------------------------------------------------------------
# Kling (Kuaishou): kling, kling-animation
# --------------------------------------------------------------------------

# Our model names -> Kling `model_name`.
KLING_MODELS = {
    "v1": "kling-v1",
    "v1.5": "kling-v1-5",
    "v1.6": "kling-v1-6",
    "v2-master": "kling-v2-master",
    "v2.1": "kling-v2-1",
    "v2.1-master": "kling-v2-1-master",
}
KLING_MASTERS = ("v2-master", "v2.1-master")
KLING_I2V_ONLY = ("v1.5", "v2.1")

KLING_PRICE = PerSecond(
    credits_per_second=100,  # std ≈ $0.05/s
    default_duration=5,
    by={
        "mode": {"pro": 1.8},
        # Masters have one (pro) tier, ≈ $0.28/s = 100 x 1.8 x 3.1.
        "model": {name: 3.1 for name in KLING_MASTERS},
    },
)


def kling_master_needs_pro(options: Mapping[str, Any], inputs: Inputs) -> str | None:
    model = options.get("model")
    if model in KLING_MASTERS and options.get("mode") != "pro":
        return (
            f"options.model {model!r} renders in Kling's pro tier only (1080p): "
            "set options.mode to 'pro'."
        )
    return None


def kling_options(default_model: str) -> tuple[OptionSpec, ...]:
    return (
        model_option(
            KLING_MODELS,
            default_model,
            "Kling model version: v1, v1.5 (image→video only), v1.6, v2-master, v2.1 "
            "(image→video only) or v2.1-master. Master models need mode 'pro'.",
        ),
        OptionSpec(
            name="mode",
            type="string",
            description="Quality tier: 'std' (720p, faster) or 'pro' (1080p, x1.8 price).",
            allowed_values=("std", "pro"),
            default="std",
        ),
        duration_option((5, 10), 5),
        aspect_ratio_option(
            ("16:9", "9:16", "1:1"),
            "16:9",
            "Output aspect ratio. With input.image the video follows the image's shape.",
        ),
        negative_prompt_option(max_length=2500),
        OptionSpec(
            name="cfgScale",
            type="number",
            description=(
                "How strictly to follow the prompt, 0 (free) to 1 (strict). "
                "Kling's v2 models ignore it."
            ),
            default=0.5,
            minimum=0,
            maximum=1,
        ),
    )


KLING = ProviderSpec(
    id="kling",
    name="Kling",
    vendor="Kuaishou Technology",
    type=VIDEO,
    description=(
        "Industry-leading video generation with six versions (1.0-2.1). Supports "
        "Standard and Pro modes, 5- to 10-second videos and exceptional motion coherence."
    ),
    models=tuple(
        KLING_MODELS[m] for m in ("v1.6", "v1", "v1.5", "v2-master", "v2.1", "v2.1-master")
    ),
    features=(
        "Text-to-video, or image-to-video when input.image is given",
        "Standard (720p) and Pro (1080p) modes",
        "5 or 10 second clips",
        "Negative prompt and prompt-strength (cfgScale) control",
    ),
    limitations=(
        "v1.5 and v2.1 are image-to-video only",
        "Master models run in pro mode only",
        "No cancellation once submitted",
        "Aspect ratios 16:9, 9:16 and 1:1 only",
    ),
    options=kling_options("v1.6"),
    price=KLING_PRICE,
    estimated_time=240,
    quality=8,
    speed=4,
    credentials=("KLING_ACCESS_KEY", "KLING_SECRET_KEY"),
    adapter="providers.vendors.kling.KlingAdapter",
    doc_url="https://app.klingai.com/global/dev/document-api/apiReference/model/textToVideo",
    image_input="optional",
    max_text_length=2500,
    rules=(
        needs_image(
            "model",
            KLING_I2V_ONLY,
            "is image-to-video only at Kling: add input.image or use model 'v1.6' or "
            "'v2.1-master'.",
        ),
        kling_master_needs_pro,
    ),
    category="text-to-video",
    tags=("v1.0 - v2.1", "5-10 seconds", "Pro mode", "1080p"),
)

KLING_ANIMATION = ProviderSpec(
    id="kling-animation",
    name="Kling Animation",
    vendor="Kuaishou",
    type=VIDEO,
    description=(
        "Transform images into smooth videos with natural motion. Multiple versions "
        "and quality modes available."
    ),
    models=tuple(KLING_MODELS[m] for m in ("v2.1", "v1", "v1.5", "v1.6", *KLING_MASTERS)),
    features=(
        "Animates input.image; the text prompt is optional",
        "All six Kling versions, Standard and Pro modes",
        "5 or 10 second clips",
    ),
    limitations=(
        "input.image is required: JPG or PNG, at least 300 px, at most 10 MB",
        "The video keeps the image's aspect ratio",
        "Master models run in pro mode only",
        "No cancellation once submitted",
    ),
    options=kling_options("v2.1"),
    price=KLING_PRICE,
    estimated_time=210,
    quality=8,
    speed=4,
    credentials=("KLING_ACCESS_KEY", "KLING_SECRET_KEY"),
    adapter="providers.vendors.kling.KlingAdapter",
    doc_url="https://app.klingai.com/global/dev/document-api/apiReference/model/imageToVideo",
    image_input="required",
    required_inputs=("image",),
    max_text_length=2500,
    rules=(kling_master_needs_pro,),
    category="image-to-video",
    tags=("Image-to-video", "5-10 seconds", "Natural motion", "Pro mode"),
)

# --------------------------------------------------------------------------
# MiniMax Hailuo-02: minimax
# --------------------------------------------------------------------------

MINIMAX_STYLES = (
    "cinematic",
    "realistic",
    "documentary",
    "anime",
    "cartoon",
    "3d-animation",
    "vintage",
    "noir",
    "fantasy",
)

MINIMAX = ProviderSpec(
    id="minimax",
    name="Minimax / Hailuo-02",
    vendor="Minimax Technology",
    type=VIDEO,
    description=(
        "Advanced video generation with exceptional scene understanding and natural "
        "motion. Runs Hailuo-02 for text-to-video and image-to-video."
    ),
    models=("MiniMax-Hailuo-02",),
    features=(
        "6 or 10 second clips at 768p or 1080p",
        "Image-to-video from input.image as the first frame (also at 512p)",
        "Camera moves in brackets in the prompt, e.g. [Pan left]",
        "Style hints such as cinematic or anime",
    ),
    limitations=(
        "The vendor renders 10-second clips at 768P: asking for 1080p with duration 10 "
        "returns a 768p video",
        "Text-to-video is 16:9 only; image-to-video keeps the image's shape",
        "512p is available for image-to-video only",
        "Prompt up to 2000 characters",
    ),
    options=(
        duration_option((6, 10), 6),
        resolution_option(
            ("512p", "768p", "1080p"),
            "768p",
            "Output resolution. 1080p applies to 6-second clips (10-second clips come back "
            "at 768p); 512p needs input.image.",
        ),
        aspect_ratio_option(
            ("16:9",),
            "16:9",
            "Output aspect ratio. Hailuo-02 renders text-to-video in 16:9; image-to-video "
            "follows the image.",
        ),
        OptionSpec(
            name="style",
            type="string",
            description=(
                "Visual style hint. MiniMax has no style parameter: the adapter appends it "
                "to the prompt (e.g. '…, cinematic style')."
            ),
            allowed_values=MINIMAX_STYLES,
        ),
        boolean_option(
            "promptOptimizer",
            True,
            "Let MiniMax rewrite the prompt for better results; turn off for exact prompts.",
        ),
    ),
    price=Rendered(
        PerSecond(
            credits_per_second=100,  # 768P ≈ $0.27 per 6 s, $0.56 per 10 s
            default_duration=6,
            by={"resolution": {"512p": 0.35, "1080p": 1.65}},
        ),
        # 10-second clips come back at 768P, so they are priced at 768P.
        downgrades=(({"duration": 10, "resolution": "1080p"}, {"resolution": "768p"}),),
    ),
    estimated_time=180,
    quality=8,
    speed=5,
    credentials=("MINIMAX_API_KEY",),
    adapter="providers.vendors.minimax.MinimaxVideoAdapter",
    doc_url="https://platform.minimax.io/docs/api-reference/video-generation",
    image_input="optional",
    max_text_length=2000,
    rules=(
        needs_image(
            "resolution",
            ("512p",),
            "is image-to-video only at MiniMax: add input.image or use '768p' or '1080p'.",
        ),
    ),
    category="text-to-video",
    tags=("1280x720", "5 seconds", "Natural motion", "Fast generation"),
)

# --------------------------------------------------------------------------
# Google Veo 3: veo-3
# --------------------------------------------------------------------------


def veo_1080p_is_landscape(options: Mapping[str, Any], inputs: Inputs) -> str | None:
    if options.get("resolution") == "1080p" and options.get("aspectRatio") != "16:9":
        return (
            f"options.resolution '1080p' needs options.aspectRatio '16:9' on Veo 3 "
            f"(got {options.get('aspectRatio')!r}); use '720p' for 9:16."
        )
    return None


VEO_3 = ProviderSpec(
    id="veo-3",
    name="Veo-3",
    vendor="Google DeepMind",
    type=VIDEO,
    description=(
        "Google's latest video model with unmatched realism and physical accuracy, "
        "and native audio. Premium-quality output."
    ),
    models=("veo-3.0-generate-001", "veo-3.0-fast-generate-001"),
    features=(
        "Native audio: dialogue, effects and ambience from the prompt",
        "Realistic physics and lighting",
        "720p or 1080p, 16:9 or 9:16",
        "Image-to-video from input.image",
    ),
    limitations=(
        "Clips of 4, 6 or 8 seconds",
        "1080p is 16:9 only",
        "Most expensive video entry",
        "People generation follows Google's regional policy",
    ),
    options=(
        model_option(
            ("veo-3", "veo-3-fast"),
            "veo-3",
            "'veo-3' (best quality) or 'veo-3-fast' (quicker, about 40% of the price).",
        ),
        duration_option((4, 6, 8), 8),
        aspect_ratio_option(("16:9", "9:16"), "16:9"),
        resolution_option(("720p", "1080p"), "720p", "Output resolution; 1080p is 16:9 only."),
        negative_prompt_option(),
        seed_option("Seed; improves repeatability but Veo does not guarantee determinism."),
    ),
    price=PerSecond(
        credits_per_second=800,  # ≈ $0.40/s
        default_duration=8,
        by={"model": {"veo-3-fast": 0.375}},  # ≈ $0.15/s
    ),
    estimated_time=150,
    quality=10,
    speed=3,
    credentials=("GEMINI_API_KEY",),
    adapter="providers.vendors.google.VeoAdapter",
    doc_url="https://ai.google.dev/gemini-api/docs/video",
    image_input="optional",
    max_text_length=2000,
    rules=(veo_1080p_is_landscape,),
    category="text-to-video",
    tags=("Ultra-realistic", "Accurate physics", "Google quality", "4K ready"),
)

# --------------------------------------------------------------------------
# Runway: runway, runway-animation
# --------------------------------------------------------------------------

# Our model names -> Runway model ids.
RUNWAY_MODELS = {"gen-4.5": "gen4.5", "gen-4": "gen4_turbo", "gen-3": "gen3a_turbo"}

RUNWAY_PRICE = PerSecond(
    credits_per_second=100,  # gen4_turbo and gen3a_turbo: 5 Runway credits/s ≈ $0.05/s
    default_duration=5,
    by={"model": {"gen-4.5": 2.4}},  # gen4.5: 12 Runway credits/s ≈ $0.12/s
)


def runway_ratio(options: Mapping[str, Any], inputs: Inputs) -> str | None:
    ratio, model = options.get("aspectRatio"), options.get("model")
    if ratio in (None, "16:9", "9:16"):
        return None
    if not inputs.image:
        return (
            f"options.aspectRatio {ratio!r} needs input.image: Runway text-to-video "
            "renders 16:9 or 9:16 only."
        )
    if model == "gen-3":
        return (
            f"options.aspectRatio {ratio!r} is not available with options.model 'gen-3' "
            "(16:9 or 9:16 only)."
        )
    if ratio == "21:9" and model != "gen-4":
        return f"options.aspectRatio '21:9' needs options.model 'gen-4' (got {model!r})."
    return None


def runway_options(default_model: str) -> tuple[OptionSpec, ...]:
    return (
        model_option(
            RUNWAY_MODELS,
            default_model,
            "Runway model: 'gen-4.5' (text or image to video), 'gen-4' (Gen-4 Turbo) or "
            "'gen-3' (Gen-3 Alpha Turbo); gen-4 and gen-3 need input.image.",
        ),
        duration_option((5, 10), 5),
        aspect_ratio_option(
            ("16:9", "9:16", "1:1", "4:3", "3:4", "21:9"),
            "16:9",
            "Output aspect ratio. Text-to-video and gen-3 support 16:9 and 9:16 only; "
            "21:9 needs gen-4.",
        ),
        OptionSpec(
            name="motionIntensity",
            type="string",
            description=(
                "How much motion to ask for. Runway has no such parameter: the adapter adds "
                "it to the prompt as a hint (e.g. 'high motion')."
            ),
            allowed_values=("low", "medium", "high"),
        ),
        seed_option(),
    )


RUNWAY_NEEDS_IMAGE = needs_image(
    "model",
    ("gen-3", "gen-4"),
    "works from an image only (Runway has no text-to-video for it): add input.image or "
    "use model 'gen-4.5'.",
)

RUNWAY = ProviderSpec(
    id="runway",
    name="Runway Gen4",
    vendor="Runway ML",
    type=VIDEO,
    description=(
        "Professional image animation with Gen-3, Gen-4 and Gen-4.5 models, plus "
        "text-to-video with Gen-4.5. Cinema-quality results."
    ),
    models=tuple(RUNWAY_MODELS.values()),
    features=(
        "Text-to-video with Gen-4.5",
        "Image-to-video with Gen-3, Gen-4 or Gen-4.5",
        "5 or 10 second clips",
        "Cancellable while running",
    ),
    limitations=(
        "Gen-2 is no longer offered by Runway's API",
        "Text-only requests use gen-4.5, in 16:9 or 9:16",
        "Prompt up to 1000 characters",
        "Output links expire within 24-48 h (Doitong keeps its own copy)",
    ),
    options=runway_options("gen-4.5"),
    price=RUNWAY_PRICE,
    estimated_time=120,
    quality=9,
    speed=5,
    credentials=("RUNWAYML_API_SECRET",),
    adapter="providers.vendors.runway.RunwayAdapter",
    doc_url="https://docs.dev.runwayml.com/api/",
    image_input="optional",
    max_text_length=1000,
    rules=(RUNWAY_NEEDS_IMAGE, runway_ratio),
    category="text-to-video",
    tags=("Gen-2, Gen-3, Gen4", "Image animation", "Cinema quality", "Pro features"),
)

RUNWAY_ANIMATION = ProviderSpec(
    id="runway-animation",
    name="Runway Animation",
    vendor="Runway ML",
    type=VIDEO,
    description=(
        "Professional image animation with Gen-3, Gen-4 and Gen-4.5 models. Cinema-quality results."
    ),
    models=("gen4_turbo", "gen4.5", "gen3a_turbo"),
    features=(
        "Animates input.image; the text prompt is optional",
        "Gen-4 Turbo by default: fast and inexpensive",
        "16:9, 9:16, 1:1, 4:3, 3:4 and 21:9 (gen-4)",
        "Cancellable while running",
    ),
    limitations=(
        "input.image is required",
        "Gen-2 is no longer offered by Runway's API",
        "gen-3 renders 16:9 or 9:16 only",
        "Prompt up to 1000 characters",
    ),
    options=runway_options("gen-4"),
    price=RUNWAY_PRICE,
    estimated_time=60,
    quality=8,
    speed=7,
    credentials=("RUNWAYML_API_SECRET",),
    adapter="providers.vendors.runway.RunwayAdapter",
    doc_url="https://docs.dev.runwayml.com/api/",
    image_input="required",
    required_inputs=("image",),
    max_text_length=1000,
    rules=(runway_ratio,),
    category="image-to-video",
    tags=("Gen2/3/4", "Cinema quality", "16:9/9:16", "Pro tools"),
)

# --------------------------------------------------------------------------
# Luma Dream Machine: luma
# --------------------------------------------------------------------------

LUMA = ProviderSpec(
    id="luma",
    name="Luma Labs",
    vendor="Luma AI",
    type=VIDEO,
    description=(
        "Artistic video generation with Dream Machine (Ray 2). Create surreal, creative "
        "videos with a distinctive look."
    ),
    models=("ray-2", "ray-flash-2"),
    features=(
        "5 or 9 second clips",
        "540p to 4K",
        "Seven aspect ratios from 21:9 to 9:21",
        "Seamless loops; image-to-video from input.image",
    ),
    limitations=(
        "Durations are 5 or 9 seconds only",
        "1080p and 4K cost much more than 720p",
        "No seed or negative prompt",
    ),
    options=(
        model_option(
            ("ray-2", "ray-flash-2"),
            "ray-2",
            "'ray-2' (best quality) or 'ray-flash-2' (faster, about a third of the price).",
        ),
        duration_option((5, 9), 5),
        aspect_ratio_option(("16:9", "1:1", "9:16", "4:3", "3:4", "21:9", "9:21"), "16:9"),
        resolution_option(("540p", "720p", "1080p", "4k"), "720p"),
        boolean_option("loop", False, "Make the last frame flow back into the first."),
    ),
    price=PerSecond(
        credits_per_second=284,  # Ray 2 720p ≈ $0.71 per 5 s
        default_duration=5,
        by={
            "resolution": {"540p": 0.57, "1080p": 2.25, "4k": 9.0},
            "model": {"ray-flash-2": 0.34},
        },
    ),
    estimated_time=120,
    quality=7,
    speed=6,
    credentials=("LUMAAI_API_KEY",),
    adapter="providers.vendors.luma.LumaAdapter",
    doc_url="https://docs.lumalabs.ai/docs/api",
    image_input="optional",
    max_text_length=2000,
    rules=(image_url_only,),
    category="text-to-video",
    tags=("Dream Machine", "Artistic style", "Creative", "5 seconds"),
)

# --------------------------------------------------------------------------
# Seedance (ByteDance, BytePlus ModelArk): seedance
# --------------------------------------------------------------------------

SEEDANCE = ProviderSpec(
    id="seedance",
    name="Seedance",
    vendor="ByteDance",
    type=VIDEO,
    description=(
        "ByteDance's Seedance 1.0 video model, strong at fluid multi-person motion such "
        "as dance and choreography, from a prompt or a first-frame image."
    ),
    models=(
        "seedance-1-0-pro-250528",
        "seedance-1-0-lite-t2v-250428",
        "seedance-1-0-lite-i2v-250428",
    ),
    features=(
        "3 to 12 second clips at 480p, 720p or 1080p",
        "Multi-person motion and dance",
        "Fixed-camera option",
        "Image-to-video from input.image as the first frame",
    ),
    limitations=(
        "No reference-video input: motion comes from the prompt or the first frame",
        "Cancellation only while queued",
        "1080p costs about 2.3x 720p",
    ),
    options=(
        model_option(
            ("pro", "lite"),
            "pro",
            "'pro' (Seedance 1.0 Pro) or 'lite' (Seedance 1.0 Lite, cheaper and faster).",
        ),
        duration_option(range(3, 13), 5, "Length of the video in seconds, 3 to 12."),
        resolution_option(("480p", "720p", "1080p"), "1080p"),
        aspect_ratio_option(("16:9", "4:3", "1:1", "3:4", "9:16", "21:9"), "16:9"),
        seed_option(),
        boolean_option("cameraFixed", False, "Keep the camera still."),
    ),
    price=PerSecond(
        credits_per_second=248,  # Pro 1080p ≈ $0.62 per 5 s
        default_duration=5,
        by={"resolution": {"720p": 0.44, "480p": 0.2}, "model": {"lite": 0.72}},
    ),
    estimated_time=100,
    quality=8,
    speed=6,
    credentials=("ARK_API_KEY",),
    alternative_credentials=("FAL_KEY",),
    adapter="providers.vendors.seedance.SeedanceAdapter",
    doc_url="https://docs.byteplus.com/en/docs/ModelArk/1520757",
    image_input="optional",
    max_text_length=2000,
    category="text-to-video",
    tags=("Dance synthesis", "Multi-person", "Choreography", "Reference-based"),
)

# --------------------------------------------------------------------------
# Wan 2.2 (fal.ai): wan
# --------------------------------------------------------------------------

WAN = ProviderSpec(
    id="wan",
    name="Wan 2.2",
    vendor="Wan Technology",
    type=VIDEO,
    description=(
        "Specialised in stable 5-second clips, at 480p, 580p or 720p, with reliable "
        "output quality. Open-weights Wan 2.2 A14B run on fal.ai."
    ),
    models=("fal-ai/wan/v2.2-a14b/text-to-video", "fal-ai/wan/v2.2-a14b/image-to-video"),
    features=(
        "Stable, coherent short clips",
        "480p, 580p or 720p",
        "Negative prompt and seed",
        "Image-to-video from input.image",
    ),
    limitations=(
        "At most 720p",
        "Best at about 5 seconds; longer clips (up to 10 s) can lose coherence",
        "Cancellation only before the job starts",
    ),
    options=(
        duration_option(
            range(3, 11),
            5,
            "Length of the video in seconds, 3 to 10 (16 frames per second).",
        ),
        resolution_option(("480p", "580p", "720p"), "720p"),
        aspect_ratio_option(("16:9", "9:16", "1:1"), "16:9"),
        negative_prompt_option(),
        seed_option(),
    ),
    price=PerSecond(
        credits_per_second=160,  # 720p $0.08/s; 580p $0.06/s; 480p $0.04/s
        default_duration=5,
        by={"resolution": {"480p": 0.5, "580p": 0.75}},
    ),
    estimated_time=150,
    quality=7,
    speed=4,
    credentials=("FAL_KEY",),
    adapter="providers.vendors.fal.WanAdapter",
    doc_url="https://fal.ai/models/fal-ai/wan/v2.2-a14b/text-to-video/api",
    image_input="optional",
    max_text_length=2000,
    category="text-to-video",
    tags=("v2.2", "5 seconds", "480p/1080p", "Stable output"),
)

# --------------------------------------------------------------------------
# Vidu: vidu
# --------------------------------------------------------------------------


def vidu_combination(options: Mapping[str, Any], inputs: Inputs) -> str | None:
    model = options.get("model")
    duration, resolution = options.get("duration"), options.get("resolution")
    if model == "vidu-q1":
        if duration is not None and duration != 5:
            return (
                f"options.duration {duration} is not available with options.model "
                "'vidu-q1' (5 seconds only); use 5, or model 'vidu-1.5' for 4 or 8 seconds."
            )
        if resolution is not None and resolution != "1080p":
            return (
                f"options.resolution {resolution!r} is not available with options.model "
                "'vidu-q1' (1080p only); use '1080p', or model 'vidu-1.5'."
            )
    elif model == "vidu-1.5":
        if duration is not None and duration not in (4, 8):
            return (
                f"options.duration {duration} is not available with options.model "
                "'vidu-1.5' (4 or 8 seconds)."
            )
        if duration == 8 and resolution not in (None, "720p"):
            return (
                f"options.resolution {resolution!r} is not available for 8-second clips on "
                "options.model 'vidu-1.5' (720p only)."
            )
    return None


VIDU = ProviderSpec(
    id="vidu",
    name="Vidu",
    vendor="Vidu AI",
    type=VIDEO,
    description=(
        "E-commerce focused video generation. Optimised for product showcases and "
        "marketing content."
    ),
    models=("viduq1", "vidu1.5"),
    features=(
        "1080p product and marketing clips with Vidu Q1",
        "General or anime style",
        "Movement amplitude control",
        "Image-to-video from input.image",
    ),
    limitations=(
        "vidu-q1: 5 seconds at 1080p only",
        "vidu-1.5: 4 or 8 seconds; 8-second clips are 720p",
        "Output links are short-lived (Doitong keeps its own copy)",
    ),
    options=(
        model_option(
            ("vidu-q1", "vidu-1.5"),
            "vidu-q1",
            "'vidu-q1' (5 s, 1080p) or 'vidu-1.5' (4 or 8 s, 360p-1080p).",
        ),
        duration_option((4, 5, 8), 5, "Length in seconds: 5 for vidu-q1; 4 or 8 for vidu-1.5."),
        resolution_option(("360p", "720p", "1080p"), "1080p"),
        aspect_ratio_option(("16:9", "9:16", "1:1"), "16:9"),
        OptionSpec(
            name="style",
            type="string",
            description="Vidu's visual style: 'general' or 'anime'.",
            allowed_values=("general", "anime"),
            default="general",
        ),
        OptionSpec(
            name="movementAmplitude",
            type="string",
            description="How much the scene moves: auto, small, medium or large.",
            allowed_values=("auto", "small", "medium", "large"),
            default="auto",
        ),
        seed_option(),
    ),
    price=PerSecond(
        credits_per_second=160,  # Q1 1080p ≈ $0.40 per 5 s
        default_duration=5,
        by={"resolution": {"720p": 0.5, "360p": 0.25}},
    ),
    estimated_time=90,
    quality=7,
    speed=7,
    credentials=("VIDU_API_KEY",),
    adapter="providers.vendors.vidu.ViduAdapter",
    doc_url="https://platform.vidu.com/docs",
    image_input="optional",
    max_text_length=1500,
    rules=(vidu_combination,),
    category="text-to-video",
    tags=("E-commerce", "Product videos", "8 seconds", "Marketing ready"),
)

ENTRIES: tuple[ProviderSpec, ...] = (
    KLING,
    MINIMAX,
    VEO_3,
    RUNWAY,
    LUMA,
    SEEDANCE,
    WAN,
    VIDU,
    KLING_ANIMATION,
    RUNWAY_ANIMATION,
)
