"""Preparing a GraphQL document once: parse, expand bare selections, validate.

The result is cached per query string (documents are immutable and validation
depends only on the schema), so the hot path does not re-parse or re-validate
the same operation.

Hardening: at most ``MAX_TOKENS`` tokens, a depth limit of ``MAX_DEPTH`` (not
counting introspection), at most ``MAX_ALIASES`` aliases; graphql-core's
``specified_rules`` all stay on, and so does introspection.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from graphene.validation import depth_limit_validator
from graphql import (
    DocumentNode,
    FieldNode,
    GraphQLError,
    GraphQLObjectType,
    GraphQLSchema,
    NameNode,
    OperationDefinitionNode,
    SelectionSetNode,
    TypeInfo,
    TypeInfoVisitor,
    ValidationContext,
    ValidationRule,
    Visitor,
    get_named_type,
    is_leaf_type,
    is_non_null_type,
    parse,
    specified_rules,
    validate,
    visit,
)

MAX_TOKENS = 5000
MAX_DEPTH = 12
MAX_ALIASES = 15


class AliasLimitRule(ValidationRule):
    """Refuses documents with more than ``MAX_ALIASES`` aliased fields."""

    def __init__(self, context: ValidationContext) -> None:
        super().__init__(context)
        self.count = 0

    def enter_field(self, node: FieldNode, *_: Any) -> None:
        if node.alias is not None:
            self.count += 1
            if self.count == MAX_ALIASES + 1:
                self.report_error(
                    GraphQLError(f"A document may use at most {MAX_ALIASES} aliases.", node)
                )


VALIDATION_RULES = (
    *specified_rules,
    depth_limit_validator(max_depth=MAX_DEPTH),
    AliasLimitRule,
)


class _ExpandBareObjects(Visitor):
    """Turns ``metadata`` into ``metadata { width height … }`` (scalar fields only)."""

    def __init__(self, type_info: TypeInfo) -> None:
        super().__init__()
        self.type_info = type_info

    def enter_field(self, node: FieldNode, *_: Any) -> FieldNode | None:
        field_type = self.type_info.get_type()
        named = get_named_type(field_type) if field_type else None
        if node.selection_set is not None or not isinstance(named, GraphQLObjectType):
            return None
        leaves = tuple(
            FieldNode(name=NameNode(value=name), arguments=(), directives=())
            for name, definition in named.fields.items()
            if is_leaf_type(get_named_type(definition.type))
            and not any(is_non_null_type(arg.type) for arg in definition.args.values())
        )
        if not leaves:
            return None
        return FieldNode(
            alias=node.alias,
            name=node.name,
            arguments=node.arguments,
            directives=node.directives,
            selection_set=SelectionSetNode(selections=leaves),
        )


@dataclass(frozen=True)
class Prepared:
    """A parsed, expanded and validated document, or the errors that stop it."""

    document: DocumentNode | None
    errors: tuple[GraphQLError, ...] = ()
    operations: dict[str | None, str] = field(default_factory=dict)

    def operation_type(self, operation_name: str | None) -> str | None:
        """ "query", "mutation" or "subscription" for the operation to run, or None."""
        if operation_name in self.operations:
            return self.operations[operation_name]
        if len(self.operations) == 1:
            return next(iter(self.operations.values()))
        return None


@lru_cache(maxsize=1024)
def prepare(schema: GraphQLSchema, query: str) -> Prepared:
    """Parse (token-limited), expand bare object selections, then validate."""
    try:
        document = parse(query, max_tokens=MAX_TOKENS)
    except GraphQLError as error:
        return Prepared(None, (error,))
    type_info = TypeInfo(schema)
    document = visit(document, TypeInfoVisitor(type_info, _ExpandBareObjects(type_info)))
    operations = {
        (d.name.value if d.name else None): d.operation.value
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode)
    }
    errors = tuple(validate(schema, document, VALIDATION_RULES))
    return Prepared(document, errors, operations)
