"""The ``/graphql`` endpoint: auth, rate-limit headers, idempotency, HTTP statuses.

- Only ``Authorization: Bearer dt_…`` authenticates; cookies never do. A browser
  GET shows GraphiQL, where the user pastes a key into the headers.
- Documents are prepared once per query string (`documents.prepare`): parsed with
  a token limit, bare object selections expanded, validated with depth and alias
  limits on top of graphql-core's rules. Batching is off.
- Queries count against the key's read limit here; ``generate``/``videoCreate``
  count against the generation limits in their resolvers.
- Every authenticated response has ``X-RateLimit-Limit``, ``-Remaining`` and
  ``-Reset`` (seconds until the window resets); a 429 also has ``Retry-After``.
- Mutations with ``Idempotency-Key`` go through `generations.idempotency`.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from graphene_django.views import GraphQLView, HttpError
from graphql import ExecutionResult, OperationType, execute, get_operation_ast

from billing.accounts import account_limits
from billing.keys import api_key_authenticate
from billing.limits import Window, generation_window, reads_window
from generations import idempotency
from generations.graphql.documents import Prepared, prepare
from generations.graphql.errors import HTTP_STATUS


def _error_response(status: int, code: str, message: str, **extensions: Any) -> HttpResponse:
    body = {
        "errors": [{"message": message, "extensions": {"code": code, **extensions}}],
        "data": None,
    }
    return HttpResponse(json.dumps(body), status=status, content_type="application/json")


@method_decorator(csrf_exempt, name="dispatch")
class DoitongGraphQLView(GraphQLView):
    graphiql = True
    batch = False

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "GET" and self.can_display_graphiql(request, {}):
            return super().dispatch(request, *args, **kwargs)
        header = request.headers.get("Authorization", "")
        scheme, _, raw_key = header.partition(" ")
        if not header:
            return _error_response(
                401, "UNAUTHENTICATED", "Send your API key as 'Authorization: Bearer <key>'."
            )
        api_key = api_key_authenticate(raw_key.strip()) if scheme.lower() == "bearer" else None
        if api_key is None:
            return _error_response(401, "UNAUTHENTICATED", "The API key is unknown or revoked.")
        request.api_key = api_key  # type: ignore[attr-defined]
        try:
            data = self.parse_body(request)
            query, variables, operation_name, _ = self.get_graphql_params(request, data)
        except HttpError as error:
            return error.response
        prepared = prepare(self.schema.graphql_schema, query) if query else None
        request._prepared = prepared  # type: ignore[attr-defined]
        is_mutation = bool(prepared and prepared.operation_type(operation_name) == "mutation")
        if not is_mutation:
            window = reads_window(
                api_key_id=api_key.pk,
                per_minute=account_limits(api_key.account)["reads_per_minute"],
                increment=True,
            )
            request.rate_window = window  # type: ignore[attr-defined]
            if window.exceeded:
                response = _error_response(
                    429,
                    "RATE_LIMIT",
                    f"Your plan allows {window.limit} status reads per minute per key.",
                    limit=window.name,
                    retryAfter=max(1, window.reset),
                )
                return self._finish(request, response)
        idempotency_key = request.headers.get("Idempotency-Key")
        if is_mutation and idempotency_key is not None:
            digest = idempotency.fingerprint(query, variables, operation_name)
            return self._idempotent(request, idempotency_key, digest, *args, **kwargs)
        return self._finish(request, super().dispatch(request, *args, **kwargs))

    def _idempotent(
        self, request: HttpRequest, key: str, digest: str, *args: Any, **kwargs: Any
    ) -> HttpResponse:
        if not idempotency.KEY_PATTERN.match(key):
            return self._finish(
                request,
                _error_response(
                    400,
                    "INVALID_INPUT",
                    "Idempotency-Key must be 1 to 255 printable ASCII characters without spaces.",
                    field="Idempotency-Key",
                ),
            )
        account = request.api_key.account  # type: ignore[attr-defined]
        claim = idempotency.idempotency_claim(account=account, key=key, digest=digest)
        if claim.outcome == "mismatch":
            return self._finish(
                request,
                _error_response(
                    422,
                    "IDEMPOTENCY_KEY_REUSED",
                    "This Idempotency-Key was used with a different request in the last 24 hours.",
                ),
            )
        if claim.outcome == "in_progress":
            response = _error_response(
                409,
                "IDEMPOTENCY_KEY_IN_PROGRESS",
                "A request with this Idempotency-Key is still running; retry shortly.",
                retryAfter=1,
            )
            response["Retry-After"] = "1"
            return self._finish(request, response)
        record = claim.record
        assert record is not None
        if claim.outcome == "replay":
            response = HttpResponse(
                record.response_body,
                status=record.response_status or 200,
                content_type="application/json",
            )
            response["Idempotent-Replayed"] = "true"
            return self._finish(request, response)
        try:
            response = super().dispatch(request, *args, **kwargs)
        except BaseException:
            idempotency.idempotency_release(record=record)
            raise
        if response.status_code == 429 or response.status_code >= 500:
            idempotency.idempotency_release(record=record)
        else:
            idempotency.idempotency_store(
                record=record, status=response.status_code, body=response.content.decode()
            )
        return self._finish(request, response)

    def _finish(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        window: Window | None = getattr(request, "rate_window", None)
        if window is None:
            account = request.api_key.account  # type: ignore[attr-defined]
            window = generation_window(
                account_id=account.pk,
                mode=request.api_key.mode,  # type: ignore[attr-defined]
                per_minute=account_limits(account)["requests_per_minute"],
                increment=False,
            )
        response["X-RateLimit-Limit"] = str(window.limit)
        response["X-RateLimit-Remaining"] = str(window.remaining)
        response["X-RateLimit-Reset"] = str(window.reset)
        response["RateLimit-Policy"] = f'"{window.name}";q={window.limit};w=60'
        if response.status_code == 429 and not response.has_header("Retry-After"):
            retry = getattr(request, "retry_after", None) or max(1, window.reset)
            response["Retry-After"] = str(retry)
        return response

    def execute_graphql_request(
        self,
        request: HttpRequest,
        data: Any,
        query: str | None,
        variables: Any,
        operation_name: str | None,
        show_graphiql: bool = False,
    ) -> Any:
        if not query:
            return super().execute_graphql_request(
                request, data, query, variables, operation_name, show_graphiql
            )
        prepared: Prepared = getattr(request, "_prepared", None) or prepare(
            self.schema.graphql_schema, query
        )
        if prepared.document is None or prepared.errors:
            result = ExecutionResult(data=None, errors=list(prepared.errors))
        else:
            operation = get_operation_ast(prepared.document, operation_name)
            if request.method == "GET" and operation and operation.operation != OperationType.QUERY:
                if show_graphiql:
                    return None
                raise HttpError(HttpResponse("Only queries may be sent with GET.", status=405))
            try:
                result = execute(
                    self.schema.graphql_schema,
                    prepared.document,
                    root_value=self.get_root_value(request),
                    context_value=self.get_context(request),
                    variable_values=variables,
                    operation_name=operation_name,
                    middleware=self.get_middleware(request),
                )
            except Exception as error:  # as graphene-django does: report, don't 500
                result = ExecutionResult(errors=[error])  # type: ignore[list-item]
        request._graphql_result = result  # type: ignore[attr-defined]
        return result

    def get_response(self, request: HttpRequest, data: Any, show_graphiql: bool = False) -> Any:
        body, status = super().get_response(request, data, show_graphiql)
        result = getattr(request, "_graphql_result", None)
        for error in getattr(result, "errors", None) or ():
            extensions = getattr(error, "extensions", None) or {}
            code = extensions.get("code")
            if code in HTTP_STATUS:
                status = HTTP_STATUS[code]
                if "retryAfter" in extensions:
                    request.retry_after = extensions["retryAfter"]  # type: ignore[attr-defined]
                break
        return body, status
