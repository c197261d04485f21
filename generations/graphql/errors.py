"""Translation of domain errors into GraphQL errors with ``extensions.code``.

Resolvers raise domain exceptions; `translate_errors` is the one place that
turns them into a `GraphQLError` whose code is machine-readable (see SPEC
"Errors"). The view maps some codes to HTTP statuses.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from graphql import GraphQLError

from billing.credits import InsufficientCredits
from billing.limits import RateLimited
from generations.services import GenerationNotFound
from providers.base import InvalidInput, ProviderUnavailable

F = TypeVar("F", bound=Callable[..., Any])

# HTTP status for responses whose errors carry these codes.
HTTP_STATUS = {"UNAUTHENTICATED": 401, "RATE_LIMIT": 429, "IDEMPOTENCY_KEY_REUSED": 422}


def api_error(code: str, message: str, **extensions: Any) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code, **extensions})


def translate(exc: Exception) -> GraphQLError | None:
    if isinstance(exc, InvalidInput):
        extra = {"field": exc.field} if exc.field else {}
        return api_error("INVALID_INPUT", exc.message, **extra)
    if isinstance(exc, InsufficientCredits):
        return api_error(exc.code, str(exc), required=exc.required, mode=exc.mode)
    if isinstance(exc, RateLimited):
        return api_error(
            exc.code, exc.message, limit=exc.limit, allowed=exc.allowed, retryAfter=exc.retry_after
        )
    if isinstance(exc, ProviderUnavailable | GenerationNotFound):
        return api_error(exc.code, exc.message)
    return None


DOMAIN_ERRORS = (
    InvalidInput,
    InsufficientCredits,
    RateLimited,
    ProviderUnavailable,
    GenerationNotFound,
)


def translate_errors(fn: F) -> F:
    """Decorate a resolver so domain errors become coded GraphQL errors."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except DOMAIN_ERRORS as exc:
            raise translate(exc) from exc

    return wrapper  # type: ignore[return-value]
