"""Read operations: generation, generations, providers, me."""

from __future__ import annotations

from typing import Any

import graphene

from billing.accounts import account_limits
from billing.credits import balance_get
from generations.graphql import types
from generations.graphql.errors import api_error
from generations.models import Generation
from generations.selectors import encode_cursor, generation_get, generations_page, usage_counts
from providers.registry import all_specs, specs_for_type


def _account(info: graphene.ResolveInfo) -> Any:
    return info.context.api_key.account


class Query(graphene.ObjectType):
    generation = graphene.Field(types.Generation, id=graphene.ID(required=True))
    generations = graphene.Field(
        types.GenerationConnection,
        required=True,
        first=graphene.Int(default_value=20),
        after=graphene.String(),
        status=types.GenerationStatusEnum(),
        type=types.GenerationTypeEnum(),
    )
    providers = graphene.List(
        graphene.NonNull(types.Provider), required=True, type=types.GenerationTypeEnum()
    )
    me = graphene.Field(types.Account)

    @staticmethod
    def resolve_generation(root: None, info: graphene.ResolveInfo, id: str) -> Generation:
        generation = generation_get(account=_account(info), generation_id=id)
        if generation is None:
            raise api_error("NOT_FOUND", f"No generation with id {id!r}.")
        return generation

    @staticmethod
    def resolve_generations(
        root: None,
        info: graphene.ResolveInfo,
        first: int = 20,
        after: str | None = None,
        status: Any = None,
        type: Any = None,
    ) -> dict:
        try:
            rows, more = generations_page(
                account=_account(info),
                first=first,
                after=after,
                status=getattr(status, "value", status),
                type=getattr(type, "value", type),
            )
        except ValueError as exc:
            raise api_error("INVALID_INPUT", str(exc), field="after") from exc
        edges = [{"cursor": encode_cursor(row), "node": row} for row in rows]
        return {
            "edges": edges,
            "nodes": rows,
            "page_info": {
                "has_next_page": more,
                "end_cursor": edges[-1]["cursor"] if edges else None,
            },
        }

    @staticmethod
    def resolve_providers(root: None, info: graphene.ResolveInfo, type: Any = None) -> list:
        kind = getattr(type, "value", type)
        return specs_for_type(kind) if kind else list(all_specs())

    @staticmethod
    def resolve_me(root: None, info: graphene.ResolveInfo) -> dict:
        api_key = info.context.api_key
        account = api_key.account
        limits = account_limits(account)
        return {
            "email": account.user.email,
            "mode": api_key.mode,
            "plan": {
                "name": account.plan.name,
                "requests_per_minute": limits["requests_per_minute"],
                "concurrent": limits["concurrent"],
                "daily": limits["daily"],
            },
            "credits": {
                "live": balance_get(account=account, mode="live"),
                "test": balance_get(account=account, mode="test"),
            },
            "usage": usage_counts(account),
        }
