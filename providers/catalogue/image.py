"""IMAGE catalogue entries: Imagen, the Flux family, MiniMax Image and Stability.

Every entry returns one image per job. The four BFL prices (flux-dev 50,
flux-pro 100, flux-pro-1.1 250, flux-ultra 200) are fixed by the portal's cards;
the others follow vendor cost at 1 credit ≈ $0.0005.
"""

from __future__ import annotations

from providers.base import GenerationType, OptionSpec, ProviderSpec
from providers.catalogue.common import (
    aspect_ratio_option,
    boolean_option,
    model_option,
    multiple_of_32,
    negative_prompt_option,
    output_format_option,
    prompt_upsampling_option,
    safety_tolerance_option,
    seed_option,
    width_height_options,
)
from providers.pricing import Flat

IMAGE = GenerationType.IMAGE

# Flux accepts any ratio between 21:9 and 9:21; these are the ones we offer.
FLUX_RATIOS = ("1:1", "16:9", "9:16", "4:3", "3:4", "3:2", "2:3", "21:9", "9:21")
BFL_FORMATS = ("jpeg", "png")
BFL_DOCS = "https://docs.bfl.ai/"
BFL_KEYS = ("BFL_API_KEY",)
BFL_ADAPTER = "providers.vendors.bfl.BflAdapter"

# --------------------------------------------------------------------------
# Google Imagen: imagen-3
# --------------------------------------------------------------------------

IMAGEN_3 = ProviderSpec(
    id="imagen-3",
    name="Google Imagen 3",
    vendor="Google AI",
    type=IMAGE,
    description=(
        "Google's most advanced image model with photorealistic quality and exceptional "
        "prompt adherence. Multiple sub-models available (Imagen 3 and Imagen 4 Fast, "
        "Standard and Ultra)."
    ),
    models=(
        "imagen-3.0-generate-002",
        "imagen-4.0-fast-generate-001",
        "imagen-4.0-generate-001",
        "imagen-4.0-ultra-generate-001",
    ),
    features=(
        "Photorealistic images with accurate text rendering",
        "Imagen 4 Fast, Standard and Ultra sub-models",
        "Five aspect ratios",
        "People-generation control",
    ),
    limitations=(
        "PNG output only",
        "No seed or negative prompt on the Gemini API",
        "Prompts are English-first; up to about 480 tokens",
        "All images carry an invisible SynthID watermark",
    ),
    options=(
        model_option(
            ("imagen-3", "imagen-4-fast", "imagen-4", "imagen-4-ultra"),
            "imagen-3",
            "Sub-model: 'imagen-3', 'imagen-4-fast' (cheapest), 'imagen-4' or "
            "'imagen-4-ultra' (best).",
        ),
        aspect_ratio_option(("1:1", "3:4", "4:3", "9:16", "16:9"), "1:1"),
        OptionSpec(
            name="personGeneration",
            type="string",
            description=(
                "Whether people may appear: 'dont_allow', 'allow_adult' (adults only) or "
                "'allow_all' (not available in every region)."
            ),
            allowed_values=("dont_allow", "allow_adult", "allow_all"),
            default="allow_adult",
        ),
        output_format_option(("png",), "png", "File format of the result; Imagen returns PNG."),
    ),
    price=Flat(
        credits=20,  # Imagen 4 Fast $0.02; Imagen 3 $0.03; Imagen 4 $0.04; Ultra $0.06
        by={"model": {"imagen-3": 3, "imagen-4": 4, "imagen-4-ultra": 6}},
    ),
    estimated_time=8,
    quality=9,
    speed=8,
    credentials=("GEMINI_API_KEY",),
    adapter="providers.vendors.google.ImagenAdapter",
    doc_url="https://ai.google.dev/gemini-api/docs/imagen",
    max_text_length=1900,
    category="text-to-image",
    tags=("Photorealistic", "Large/Medium", "Fast turbo", "High resolution"),
)

# --------------------------------------------------------------------------
# Black Forest Labs: flux-dev, flux-pro, flux-pro-1.1, flux-ultra, flux-kontext
# --------------------------------------------------------------------------


def steps_option(default: int) -> OptionSpec:
    return OptionSpec(
        name="steps",
        type="integer",
        description="Diffusion steps: more is slower and more detailed.",
        default=default,
        minimum=1,
        maximum=50,
    )


def guidance_option(default: float, minimum: float, maximum: float) -> OptionSpec:
    return OptionSpec(
        name="guidance",
        type="number",
        description="How closely the image follows the prompt; higher is stricter.",
        default=default,
        minimum=minimum,
        maximum=maximum,
    )


def bfl_sized_options(*extra: OptionSpec) -> tuple[OptionSpec, ...]:
    """Options shared by the BFL endpoints that take width/height (dev, pro, pro-1.1)."""
    return (
        aspect_ratio_option(
            FLUX_RATIOS,
            "1:1",
            "Output aspect ratio; the adapter picks a size of about 1 megapixel in "
            "multiples of 32. Ignored when both width and height are given.",
        ),
        *width_height_options(),
        *extra,
        seed_option(),
        safety_tolerance_option(),
        prompt_upsampling_option(),
        output_format_option(BFL_FORMATS, "jpeg"),
    )


FLUX_SIZE_LIMITS = (
    "width and height: 256-1440 px in multiples of 32",
    "Result links expire after 10 minutes (Doitong keeps its own copy)",
)

FLUX_DEV = ProviderSpec(
    id="flux-dev",
    name="Flux Dev",
    vendor="Black Forest Labs",
    type=IMAGE,
    description=(
        "Fast development model for quick iterations. The right balance between speed "
        "and quality for prototyping."
    ),
    models=("flux-dev",),
    features=(
        "Fastest and cheapest Flux model",
        "Any aspect ratio, or exact width and height",
        "Steps and guidance control",
        "Seed for repeatable results",
    ),
    limitations=(*FLUX_SIZE_LIMITS, "Less detail than Flux Pro"),
    options=bfl_sized_options(steps_option(28), guidance_option(3, 1.5, 5)),
    price=Flat(50),
    estimated_time=6,
    quality=6,
    speed=9,
    credentials=BFL_KEYS,
    adapter=BFL_ADAPTER,
    doc_url=BFL_DOCS,
    rules=(multiple_of_32,),
    category="text-to-image",
    tags=("Fast generation", "Development", "50 credits", "All aspect ratios"),
)

FLUX_PRO = ProviderSpec(
    id="flux-pro",
    name="Flux Pro",
    vendor="Black Forest Labs",
    type=IMAGE,
    description=(
        "Professional image generation with enhanced detail and artistic control. "
        "Superior stability."
    ),
    models=("flux-pro",),
    features=(
        "Higher detail than Flux Dev",
        "Steps, guidance and interval control",
        "Any aspect ratio, or exact width and height",
        "Seed for repeatable results",
    ),
    limitations=(*FLUX_SIZE_LIMITS, "Superseded by Flux Pro 1.1 for most prompts"),
    options=bfl_sized_options(
        steps_option(40),
        guidance_option(2.5, 1.5, 5),
        OptionSpec(
            name="interval",
            type="number",
            description="Guidance interval: higher gives more varied, dynamic images.",
            default=2,
            minimum=1,
            maximum=4,
        ),
    ),
    price=Flat(100),
    estimated_time=10,
    quality=8,
    speed=7,
    credentials=BFL_KEYS,
    adapter=BFL_ADAPTER,
    doc_url=BFL_DOCS,
    rules=(multiple_of_32,),
    category="text-to-image",
    tags=("Professional", "High quality", "100 credits", "Enhanced control"),
)

FLUX_PRO_11 = ProviderSpec(
    id="flux-pro-1.1",
    name="Flux Pro 1.1",
    vendor="Black Forest Labs",
    type=IMAGE,
    description=(
        "Enhanced version with improved prompt understanding and faster generation "
        "times. Better composition."
    ),
    models=("flux-pro-1.1",),
    features=(
        "Better prompt adherence and composition than Flux Pro",
        "Faster than Flux Pro",
        "Any aspect ratio, or exact width and height",
        "Seed for repeatable results",
    ),
    limitations=(*FLUX_SIZE_LIMITS, "No steps or guidance control"),
    options=bfl_sized_options(),
    price=Flat(250),
    estimated_time=8,
    quality=9,
    speed=8,
    credentials=BFL_KEYS,
    adapter=BFL_ADAPTER,
    doc_url=BFL_DOCS,
    rules=(multiple_of_32,),
    category="text-to-image",
    tags=("Version 1.1", "250 credits", "Faster", "Improved"),
)

FLUX_ULTRA = ProviderSpec(
    id="flux-ultra",
    name="Flux Pro 1.1 Ultra",
    vendor="Black Forest Labs",
    type=IMAGE,
    description=(
        "Maximum-quality image generation. Extreme detail and resolution (up to 4 "
        "megapixels) for demanding projects."
    ),
    models=("flux-pro-1.1-ultra",),
    features=(
        "Up to 4 MP output (e.g. 2752x1536 at 16:9)",
        "Raw mode for natural, less processed photographs",
        "Optional image prompt from input.image",
        "Seed for repeatable results",
    ),
    limitations=(
        "Sizes come from aspectRatio only: no exact width/height",
        "Result links expire after 10 minutes (Doitong keeps its own copy)",
        "Slower than the other Flux models",
    ),
    options=(
        aspect_ratio_option(FLUX_RATIOS, "16:9"),
        OptionSpec(
            name="quality",
            type="string",
            description=(
                "'ultra' (polished, maximum detail) or 'raw' (Flux's raw mode: natural, "
                "candid, less processed look)."
            ),
            allowed_values=("ultra", "raw"),
            default="ultra",
        ),
        OptionSpec(
            name="imagePromptStrength",
            type="number",
            description=(
                "How much input.image (when given) shapes the result, 0 (little) to 1 (strongly)."
            ),
            default=0.1,
            minimum=0,
            maximum=1,
        ),
        seed_option(),
        safety_tolerance_option(),
        output_format_option(BFL_FORMATS, "jpeg"),
    ),
    price=Flat(200),
    estimated_time=15,
    quality=10,
    speed=6,
    credentials=BFL_KEYS,
    adapter=BFL_ADAPTER,
    doc_url=BFL_DOCS,
    image_input="optional",
    category="text-to-image",
    tags=("Ultra quality", "4K output", "200 credits", "Maximum detail"),
)

FLUX_KONTEXT = ProviderSpec(
    id="flux-kontext",
    name="Flux Kontext",
    vendor="Kontext AI",
    type=IMAGE,
    description=(
        "Specialised in context-aware generation and editing with Pro and Max modes: "
        "describe a change to input.image, or generate from text alone. Excellent for "
        "specific style requirements."
    ),
    models=("flux-kontext-pro", "flux-kontext-max"),
    features=(
        "Edits input.image from a text instruction",
        "Keeps characters and styles consistent with the reference",
        "Pro and Max modes",
        "Works from text alone too",
    ),
    limitations=(
        "The result is framed to aspectRatio (default 1:1): set it to the reference "
        "image's ratio to keep its framing",
        "One reference image per job",
        "Result links expire after 10 minutes (Doitong keeps its own copy)",
    ),
    options=(
        model_option(
            ("pro", "max"),
            "pro",
            "'pro' (Kontext Pro) or 'max' (Kontext Max: better typography and prompt "
            "adherence, twice the price).",
        ),
        aspect_ratio_option(FLUX_RATIOS, "1:1"),
        seed_option(),
        safety_tolerance_option(),
        prompt_upsampling_option(),
        output_format_option(BFL_FORMATS, "png"),
    ),
    price=Flat(80, by={"model": {"max": 2}}),  # pro $0.04, max $0.08
    estimated_time=12,
    quality=9,
    speed=7,
    credentials=BFL_KEYS,
    adapter=BFL_ADAPTER,
    doc_url=BFL_DOCS,
    image_input="optional",
    category="text-to-image",
    tags=("Pro/Max modes", "Context-aware", "Style control", "Reference support"),
)

# --------------------------------------------------------------------------
# Flux Krea (fal.ai): flux-krea
# --------------------------------------------------------------------------

FLUX_KREA = ProviderSpec(
    id="flux-krea",
    name="Flux Krea",
    vendor="Krea AI",
    type=IMAGE,
    description=(
        "Optimised Flux implementation (FLUX.1 Krea) with adjustable quality levels for "
        "fast, natural-looking images."
    ),
    models=("fal-ai/flux/krea",),
    features=(
        "Natural, photographic aesthetics without the typical 'AI look'",
        "Adjustable steps and guidance",
        "Priced by megapixel: wide images cost less",
        "Seed for repeatable results",
    ),
    limitations=(
        "Five aspect ratios, up to about 1 megapixel",
        "Cancellation only before the job starts",
    ),
    options=(
        aspect_ratio_option(("1:1", "4:3", "3:4", "16:9", "9:16"), "1:1"),
        steps_option(28),
        guidance_option(4.5, 1, 20),
        seed_option(),
        output_format_option(BFL_FORMATS, "jpeg"),
    ),
    price=Flat(  # $0.025 per megapixel: 1:1 is 1024x1024
        credits=53,
        by={"aspectRatio": {"16:9": 0.6, "9:16": 0.6, "4:3": 0.75, "3:4": 0.75}},
    ),
    estimated_time=8,
    quality=8,
    speed=8,
    credentials=("FAL_KEY",),
    adapter="providers.vendors.fal.FluxKreaAdapter",
    doc_url="https://fal.ai/models/fal-ai/flux/krea/api",
    category="text-to-image",
    tags=("Multiple tiers", "Fast generation", "Optimized", "Variable pricing"),
)

# --------------------------------------------------------------------------
# MiniMax Image: minimax-image
# --------------------------------------------------------------------------

MINIMAX_IMAGE = ProviderSpec(
    id="minimax-image",
    name="Minimax Image",
    vendor="Minimax",
    type=IMAGE,
    description=(
        "Advanced image model with excellent artistic understanding and style control, "
        "strong on Chinese and English prompts."
    ),
    models=("image-01",),
    features=(
        "Eight aspect ratios including 21:9",
        "Strong artistic styles",
        "Chinese and English prompts",
        "Synchronous: results in seconds",
    ),
    limitations=(
        "One image per job (the vendor's batches of up to 9 are not exposed)",
        "JPEG output only",
        "Prompt up to 1500 characters",
    ),
    options=(
        aspect_ratio_option(("1:1", "16:9", "4:3", "3:2", "2:3", "3:4", "9:16", "21:9"), "1:1"),
        seed_option(),
        boolean_option(
            "promptOptimizer", False, "Let MiniMax rewrite the prompt for better results."
        ),
        output_format_option(("jpeg",), "jpeg", "File format of the result; MiniMax returns JPEG."),
    ),
    price=Flat(7),  # image-01 ≈ $0.0035 per image
    estimated_time=12,
    quality=7,
    speed=7,
    credentials=("MINIMAX_API_KEY",),
    adapter="providers.vendors.minimax.MinimaxImageAdapter",
    doc_url="https://platform.minimax.io/docs/guides/image-generation",
    max_text_length=1500,
    category="text-to-image",
    tags=("Artistic styles", "Chinese-optimized", "High quality", "Batch support"),
)

# --------------------------------------------------------------------------
# Stability AI: stable-diffusion
# --------------------------------------------------------------------------

STABILITY_STYLES = (
    "3d-model",
    "analog-film",
    "anime",
    "cinematic",
    "comic-book",
    "digital-art",
    "enhance",
    "fantasy-art",
    "isometric",
    "line-art",
    "low-poly",
    "modeling-compound",
    "neon-punk",
    "origami",
    "photographic",
    "pixel-art",
    "tile-texture",
)

STABLE_DIFFUSION = ProviderSpec(
    id="stable-diffusion",
    name="Stable Diffusion",
    vendor="Stability AI",
    type=IMAGE,
    description=(
        "Industry-standard open model family with broad customisation options: Stable "
        "Image Core and Ultra, and Stable Diffusion 3.5."
    ),
    models=("core", "ultra", "sd3.5-large", "sd3.5-large-turbo", "sd3.5-medium"),
    features=(
        "Stable Image Core, Ultra and SD 3.5 Large, Large Turbo and Medium",
        "Negative prompt and style presets",
        "PNG, JPEG or WebP output",
        "Nine aspect ratios",
    ),
    limitations=(
        "ControlNet and LoRA are not exposed through this API",
        "stylePreset is used by the core model only",
        "sd3.5-large-turbo ignores negativePrompt",
    ),
    options=(
        model_option(
            ("core", "ultra", "sd3.5-large", "sd3.5-large-turbo", "sd3.5-medium"),
            "core",
            "'core' (fast, inexpensive), 'ultra' (highest quality) or an SD 3.5 model.",
        ),
        aspect_ratio_option(
            ("1:1", "16:9", "21:9", "2:3", "3:2", "4:5", "5:4", "9:16", "9:21"), "1:1"
        ),
        negative_prompt_option(max_length=10000),
        OptionSpec(
            name="stylePreset",
            type="string",
            description="Style preset for the core model, e.g. 'photographic' or 'anime'.",
            allowed_values=STABILITY_STYLES,
        ),
        seed_option(),
        output_format_option(("png", "jpeg", "webp"), "png"),
    ),
    price=Flat(  # Core $0.03, Ultra $0.08, SD 3.5 Large $0.065, Turbo $0.04, Medium $0.035
        credits=10,
        by={
            "model": {
                "core": 6,
                "ultra": 16,
                "sd3.5-large": 13,
                "sd3.5-large-turbo": 8,
                "sd3.5-medium": 7,
            }
        },
    ),
    estimated_time=8,
    quality=7,
    speed=8,
    credentials=("STABILITY_API_KEY",),
    adapter="providers.vendors.stability.StabilityAdapter",
    doc_url="https://platform.stability.ai/docs/api-reference",
    max_text_length=10000,
    category="text-to-image",
    tags=("Open source", "Customizable", "SD 3.5", "Style presets"),
)

ENTRIES: tuple[ProviderSpec, ...] = (
    IMAGEN_3,
    FLUX_DEV,
    FLUX_PRO,
    FLUX_PRO_11,
    FLUX_ULTRA,
    FLUX_KONTEXT,
    FLUX_KREA,
    MINIMAX_IMAGE,
    STABLE_DIFFUSION,
)
