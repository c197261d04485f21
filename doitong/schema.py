"""The root GraphQL schema (see SPEC "GraphQL API")."""

import graphene

from generations.graphql.mutations import Mutation
from generations.graphql.queries import Query

schema = graphene.Schema(query=Query, mutation=Mutation)
