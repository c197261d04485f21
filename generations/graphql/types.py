"""GraphQL types. They only translate: no business logic lives here."""

from __future__ import annotations

from typing import Any

import graphene
from graphene.types.generic import GenericScalar

from providers.base import ProviderSpec


class JSON(GenericScalar):
    """Any JSON value (object, array, string, number, boolean or null), not a JSON string."""


GenerationTypeEnum = graphene.Enum(
    "GenerationType", [(t, t) for t in ("VIDEO", "IMAGE", "AUDIO", "AVATAR")]
)
GenerationStatusEnum = graphene.Enum(
    "GenerationStatus",
    [(s, s) for s in ("QUEUED", "PROCESSING", "COMPLETED", "FAILED", "CANCELLED")],
)
PriorityEnum = graphene.Enum("Priority", [(p, p) for p in ("BALANCED", "QUALITY", "SPEED", "COST")])


class GenerationMetadata(graphene.ObjectType):
    """Facts about the output file. Pixels, seconds, frames per second, Hz, bytes."""

    width = graphene.Int()
    height = graphene.Int()
    duration = graphene.Float(description="Seconds.")
    format = graphene.String(description="png, jpeg, webp, mp4, wav, mp3 or ogg.")
    resolution = graphene.String(description="WIDTHxHEIGHT of the delivered file.")
    fps = graphene.Float()
    sample_rate = graphene.Int(name="sampleRate")
    bytes = graphene.Int()

    @staticmethod
    def resolve_sample_rate(metadata: dict, info: graphene.ResolveInfo) -> int | None:
        return metadata.get("sampleRate")


class GenerationError(graphene.ObjectType):
    code = graphene.String(required=True)
    message = graphene.String(required=True)


class Generation(graphene.ObjectType):
    """A generation. ``progress`` is 0–100, ``estimatedTime`` seconds, ``creditCost`` credits."""

    id = graphene.ID(required=True)
    status = GenerationStatusEnum(required=True)
    type = GenerationTypeEnum(required=True)
    provider = graphene.String(required=True)
    url = graphene.String(description="Absolute URL of the output, once COMPLETED.")
    progress = graphene.Int()
    metadata = graphene.Field(GenerationMetadata)
    credit_cost = graphene.Int(required=True)
    estimated_time = graphene.Int()
    error = graphene.Field(GenerationError)
    error_code = graphene.String()
    attempts = graphene.List(graphene.NonNull(JSON), description="Providers tried, in order.")
    created_at = graphene.DateTime(required=True)
    completed_at = graphene.DateTime()

    @staticmethod
    def resolve_status(generation: Any, info: graphene.ResolveInfo) -> str:
        return str(generation.status)

    @staticmethod
    def resolve_type(generation: Any, info: graphene.ResolveInfo) -> str:
        return str(generation.type)

    @staticmethod
    def resolve_url(generation: Any, info: graphene.ResolveInfo) -> str | None:
        from generations.selectors import output_url

        return output_url(generation, request=info.context)

    @staticmethod
    def resolve_metadata(generation: Any, info: graphene.ResolveInfo) -> dict | None:
        return generation.metadata or None

    @staticmethod
    def resolve_error(generation: Any, info: graphene.ResolveInfo) -> dict | None:
        if not generation.error_code:
            return None
        return {"code": generation.error_code, "message": generation.error_message}

    @staticmethod
    def resolve_error_code(generation: Any, info: graphene.ResolveInfo) -> str | None:
        return generation.error_code or None


class GenerationEdge(graphene.ObjectType):
    cursor = graphene.String(required=True)
    node = graphene.Field(Generation, required=True)


class PageInfo(graphene.ObjectType):
    has_next_page = graphene.Boolean(required=True)
    end_cursor = graphene.String()


class GenerationConnection(graphene.ObjectType):
    edges = graphene.List(graphene.NonNull(GenerationEdge), required=True)
    nodes = graphene.List(graphene.NonNull(Generation), required=True)
    page_info = graphene.Field(PageInfo, required=True)


class ProviderPricing(graphene.ObjectType):
    credit_cost = graphene.Int(required=True, description="Credits for the default options.")
    estimated_time = graphene.Int(required=True, description="Seconds.")
    rule = graphene.String(description="How the price follows the options.")


class ProviderOption(graphene.ObjectType):
    name = graphene.String(required=True)
    type = graphene.String(required=True)
    required = graphene.Boolean(required=True)
    description = graphene.String(required=True)
    allowed_values = graphene.List(graphene.NonNull(graphene.String))
    default = JSON()
    minimum = graphene.Float()
    maximum = graphene.Float()
    unit = graphene.String()

    @staticmethod
    def resolve_allowed_values(option: Any, info: graphene.ResolveInfo) -> list[str] | None:
        values = option.allowed_values
        return [str(v) for v in values] if values is not None else None


class Provider(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    vendor = graphene.String(required=True)
    type = GenerationTypeEnum(required=True)
    description = graphene.String(required=True)
    features = graphene.List(graphene.NonNull(graphene.String), required=True)
    limitations = graphene.List(graphene.NonNull(graphene.String), required=True)
    pricing = graphene.Field(ProviderPricing, required=True)
    options = graphene.List(graphene.NonNull(ProviderOption), required=True)
    models = graphene.List(graphene.NonNull(graphene.String), required=True)
    available = graphene.Boolean(required=True)
    health = graphene.String(
        required=True, description="healthy, degraded or cooling_down (live traffic)."
    )
    image_input = graphene.String(required=True, description="required, optional or none.")

    @staticmethod
    def resolve_type(spec: ProviderSpec, info: graphene.ResolveInfo) -> str:
        return str(spec.type)

    @staticmethod
    def resolve_pricing(spec: ProviderSpec, info: graphene.ResolveInfo) -> dict:
        from providers.selectors import default_price

        return {
            "credit_cost": default_price(spec),
            "estimated_time": spec.estimated_time,
            "rule": spec.price.describe(),
        }

    @staticmethod
    def resolve_health(spec: ProviderSpec, info: graphene.ResolveInfo) -> str:
        from providers.health import statuses

        cached = getattr(info.context, "_provider_health", None)
        if cached is None:
            from providers.registry import all_specs

            cached = statuses([s.id for s in all_specs()])
            info.context._provider_health = cached
        return cached[spec.id]

    @staticmethod
    def resolve_available(spec: ProviderSpec, info: graphene.ResolveInfo) -> bool:
        from providers.registry import is_available

        api_key = getattr(info.context, "api_key", None)
        return is_available(spec, api_key.mode if api_key else "live")


class PlanType(graphene.ObjectType):
    class Meta:
        name = "Plan"

    name = graphene.String(required=True)
    requests_per_minute = graphene.Int(required=True)
    concurrent = graphene.Int(required=True)
    daily = graphene.Int(description="Generation requests per UTC day; null = unlimited.")


class Credits(graphene.ObjectType):
    live = graphene.Int(required=True)
    test = graphene.Int(required=True)


class Usage(graphene.ObjectType):
    concurrent = graphene.Int(required=True, description="Generations QUEUED or PROCESSING now.")
    today = graphene.Int(required=True, description="Generation requests this UTC day.")


class Account(graphene.ObjectType):
    email = graphene.String(required=True)
    mode = graphene.String(required=True, description="The calling key's mode: live or test.")
    plan = graphene.Field(PlanType, required=True)
    credits = graphene.Field(Credits, required=True)
    usage = graphene.Field(Usage, required=True)


class VideoCreateInput(graphene.InputObjectType):
    prompt = graphene.String(required=True)
    model = graphene.String(description="A VIDEO provider id, e.g. luma. Default: auto.")
    duration = graphene.Int(description="Seconds.")
    image = graphene.String()


class VideoCreatePayload(graphene.ObjectType):
    id = graphene.ID(required=True)
    status = GenerationStatusEnum(required=True)
    video_url = graphene.String()
    credit_cost = graphene.Int()
