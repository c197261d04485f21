"""Write operations: generate, cancelGeneration and the legacy videoCreate.

Each reads as parse → call service → return; `translate_errors` owns the
mapping of domain errors to coded GraphQL errors.
"""

from __future__ import annotations

from typing import Any

import graphene

from billing.accounts import account_limits
from billing.limits import check_window, generation_window
from generations.graphql import types
from generations.graphql.errors import translate_errors
from generations.models import Generation
from generations.selectors import output_url
from generations.services import GenerateRequest, generation_cancel, generation_create
from providers.base import GenerationType, Inputs, InvalidInput, Priority


class GenerationInputData(graphene.InputObjectType):
    text = graphene.String(description="The prompt, or the words to speak.")
    image = graphene.String(description="An http(s) URL or data: URI of an image.")
    voice = graphene.String(description="A voice name, e.g. rachel or professional_female.")
    audio = graphene.String(description="An http(s) URL or data: URI of audio.")
    video = graphene.String(description="An http(s) URL or data: URI of a video.")


class GenerateInput(graphene.InputObjectType):
    type = types.GenerationTypeEnum(required=True)
    provider = graphene.String(description="A catalogue id; omit to let Doitong choose.")
    input = graphene.InputField(GenerationInputData, required=True)
    options = types.JSON(description="A JSON object of the provider's declared options.")
    priority = types.PriorityEnum(description="How to rank providers when auto-selecting.")
    webhook_url = graphene.String()
    allow_fallback = graphene.Boolean(
        description="Let a named provider fall back to the next best one if it is down."
    )


def _enum_value(value: Any, default: str | None = None) -> str | None:
    return getattr(value, "value", value) or default


def _generate_request(data: Any) -> GenerateRequest:
    raw_input = data.get("input") or {}
    webhook_url = (data.get("webhook_url") or "").strip()
    if len(webhook_url) > 2048:
        raise InvalidInput("webhookUrl must be at most 2048 characters.", field="webhookUrl")
    if webhook_url and not webhook_url.startswith(("https://", "http://")):
        raise InvalidInput("webhookUrl must be an http(s) URL.", field="webhookUrl")
    return GenerateRequest(
        type=GenerationType(_enum_value(data["type"])),
        provider=(data.get("provider") or "").strip() or None,
        inputs=Inputs(**{k: v for k, v in dict(raw_input).items() if v is not None}),
        options=data.get("options"),
        priority=Priority(_enum_value(data.get("priority"), "BALANCED")),
        webhook_url=webhook_url,
        allow_fallback=bool(data.get("allow_fallback")),
    )


def _count_generation_request(info: graphene.ResolveInfo) -> None:
    """One generation request against the per-minute limit; raises `RateLimited`."""
    api_key = info.context.api_key
    window = generation_window(
        account_id=api_key.account_id,
        mode=api_key.mode,
        per_minute=account_limits(api_key.account)["requests_per_minute"],
        increment=True,
    )
    info.context.rate_window = window
    check_window(window)


class Mutation(graphene.ObjectType):
    generate = graphene.Field(types.Generation, input=GenerateInput(required=True))
    cancel_generation = graphene.Boolean(required=True, id=graphene.ID(required=True))
    video_create = graphene.Field(
        types.VideoCreatePayload,
        input=types.VideoCreateInput(required=True),
        description="Legacy: { prompt, model, duration } -> { id status videoUrl }.",
    )

    @staticmethod
    @translate_errors
    def resolve_generate(root: None, info: graphene.ResolveInfo, input: Any) -> Generation:
        _count_generation_request(info)
        return generation_create(api_key=info.context.api_key, request=_generate_request(input))

    @staticmethod
    @translate_errors
    def resolve_cancel_generation(root: None, info: graphene.ResolveInfo, id: str) -> bool:
        return generation_cancel(account=info.context.api_key.account, generation_id=id)

    @staticmethod
    @translate_errors
    def resolve_video_create(root: None, info: graphene.ResolveInfo, input: Any) -> dict:
        _count_generation_request(info)
        options = {"duration": input["duration"]} if input.get("duration") else {}
        request = GenerateRequest(
            type=GenerationType.VIDEO,
            provider=input.get("model") or None,
            inputs=Inputs(text=input["prompt"], image=input.get("image")),
            options=options,
        )
        generation = generation_create(api_key=info.context.api_key, request=request)
        return {
            "id": generation.id,
            "status": str(generation.status),
            "video_url": output_url(generation, request=info.context),
            "credit_cost": generation.credit_cost,
        }
