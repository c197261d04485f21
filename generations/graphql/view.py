"""The ``/graphql`` endpoint: Bearer-key auth, lenient selections, HTTP statuses.

- Only ``Authorization: Bearer dt_…`` authenticates; cookies never do. A browser
  GET shows GraphiQL, where the user pastes a key into the headers.
- A bare selection of an object-typed field (``metadata``, ``error``) is expanded
  to all of its scalar fields before validation, so the seeds' examples run as
  written (see docs/api.md, "Lenient selections").
- Errors with codes UNAUTHENTICATED, RATE_LIMIT and IDEMPOTENCY_KEY_REUSED set the
  HTTP status (401, 429, 422).
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from graphene_django.views import GraphQLView
from graphql import (
    FieldNode,
    GraphQLError,
    GraphQLObjectType,
    GraphQLSchema,
    NameNode,
    SelectionSetNode,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    get_named_type,
    is_leaf_type,
    is_non_null_type,
    parse,
    print_ast,
    visit,
)

from billing.keys import api_key_authenticate
from generations.graphql.errors import HTTP_STATUS


class _ExpandBareObjects(Visitor):
    def __init__(self, type_info: TypeInfo) -> None:
        super().__init__()
        self.type_info = type_info
        self.changed = False

    def enter_field(self, node: FieldNode, *_: Any) -> FieldNode | None:
        field_type = self.type_info.get_type()
        named = get_named_type(field_type) if field_type else None
        if node.selection_set is not None or not isinstance(named, GraphQLObjectType):
            return None
        leaves = [
            FieldNode(name=NameNode(value=name), arguments=(), directives=())
            for name, field in named.fields.items()
            if is_leaf_type(get_named_type(field.type))
            and not any(is_non_null_type(arg.type) for arg in field.args.values())
        ]
        if not leaves:
            return None
        self.changed = True
        return FieldNode(
            alias=node.alias,
            name=node.name,
            arguments=node.arguments,
            directives=node.directives,
            selection_set=SelectionSetNode(selections=tuple(leaves)),
        )


@lru_cache(maxsize=512)
def expand_bare_selections(schema: GraphQLSchema, query: str) -> str:
    """Return ``query`` with bare object selections expanded to their scalar fields."""
    try:
        document = parse(query)
    except GraphQLError:
        return query  # let the normal path report the syntax error
    type_info = TypeInfo(schema)
    visitor = _ExpandBareObjects(type_info)
    expanded = visit(document, TypeInfoVisitor(type_info, visitor))
    return print_ast(expanded) if visitor.changed else query


def _error_response(status: int, code: str, message: str) -> HttpResponse:
    body = {"errors": [{"message": message, "extensions": {"code": code}}], "data": None}
    return HttpResponse(json.dumps(body), status=status, content_type="application/json")


@method_decorator(csrf_exempt, name="dispatch")
class DoitongGraphQLView(GraphQLView):
    graphiql = True

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
        return super().dispatch(request, *args, **kwargs)

    def execute_graphql_request(
        self, request: HttpRequest, data: Any, query: str | None, *args: Any, **kwargs: Any
    ) -> Any:
        if query:
            query = expand_bare_selections(self.schema.graphql_schema, query)
        result = super().execute_graphql_request(request, data, query, *args, **kwargs)
        request._graphql_result = result  # type: ignore[attr-defined]
        return result

    def get_response(self, request: HttpRequest, data: Any, show_graphiql: bool = False) -> Any:
        body, status = super().get_response(request, data, show_graphiql)
        result = getattr(request, "_graphql_result", None)
        for error in getattr(result, "errors", None) or ():
            code = (error.extensions or {}).get("code")
            if code in HTTP_STATUS:
                status = HTTP_STATUS[code]
                break
        return body, status
