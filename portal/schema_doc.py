"""The API reference, generated from the live GraphQL schema (graphql-core).

`reference()` walks ``doitong.schema.schema.graphql_schema``: the root operations
with their arguments, then every named type (objects, inputs, enums, scalars)
with fields, argument defaults and descriptions. Introspection types are left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from graphql import (
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLScalarType,
    print_schema,
)
from graphql.language import print_ast
from graphql.utilities import ast_from_value


@dataclass(frozen=True)
class Arg:
    name: str
    type: str
    type_name: str
    description: str
    default: str | None


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    type_name: str
    description: str
    args: tuple[Arg, ...] = ()
    deprecation: str | None = None


@dataclass(frozen=True)
class TypeDoc:
    name: str
    kind: str  # object, input, enum, scalar
    description: str
    fields: tuple[Field, ...] = ()
    values: tuple[tuple[str, str], ...] = field(default=())


@dataclass(frozen=True)
class Reference:
    queries: tuple[Field, ...]
    mutations: tuple[Field, ...]
    types: tuple[TypeDoc, ...]
    sdl: str


def _named(type_: object) -> str:
    while hasattr(type_, "of_type"):
        type_ = type_.of_type  # type: ignore[attr-defined]
    return type_.name  # type: ignore[attr-defined]


def _default(arg: GraphQLArgument) -> str | None:
    from graphql.pyutils import Undefined

    if arg.default_value is Undefined:
        return None
    node = ast_from_value(arg.default_value, arg.type)
    return print_ast(node) if node else None


def _field(name: str, f: object) -> Field:
    args = tuple(
        Arg(a_name, str(a.type), _named(a.type), a.description or "", _default(a))
        for a_name, a in getattr(f, "args", {}).items()
    )
    return Field(
        name,
        str(f.type),  # type: ignore[attr-defined]
        _named(f.type),  # type: ignore[attr-defined]
        (f.description or "").strip(),  # type: ignore[attr-defined]
        args,
        getattr(f, "deprecation_reason", None),
    )


def _type(t: GraphQLNamedType) -> TypeDoc | None:
    description = (t.description or "").strip()
    if description == "An enumeration.":  # graphene's placeholder says nothing
        description = ""
    if isinstance(t, GraphQLObjectType):
        fields = tuple(_field(n, f) for n, f in t.fields.items())
        return TypeDoc(t.name, "object", description, fields)
    if isinstance(t, GraphQLInputObjectType):
        fields = tuple(
            Field(n, str(f.type), _named(f.type), (f.description or "").strip())
            for n, f in t.fields.items()
        )
        return TypeDoc(t.name, "input", description, fields)
    if isinstance(t, GraphQLEnumType):
        values = tuple((n, (v.description or "").strip()) for n, v in t.values.items())
        return TypeDoc(t.name, "enum", description, values=values)
    if isinstance(t, GraphQLScalarType):
        return TypeDoc(t.name, "scalar", " ".join(description.split()))
    return None


@cache
def reference() -> Reference:
    from doitong.schema import schema

    gql = schema.graphql_schema
    roots = {gql.query_type, gql.mutation_type}
    types = []
    for name in sorted(gql.type_map):
        t = gql.type_map[name]
        if name.startswith("__") or t in roots:
            continue
        doc = _type(t)
        if doc is not None:
            types.append(doc)
    query = gql.query_type
    mutation = gql.mutation_type
    return Reference(
        queries=tuple(_field(n, f) for n, f in query.fields.items()) if query else (),
        mutations=tuple(_field(n, f) for n, f in mutation.fields.items()) if mutation else (),
        types=tuple(types),
        sdl=print_schema(gql),
    )
