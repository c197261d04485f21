"""The code examples of the original portal pages, extracted verbatim.

`tests/fixtures/seed_examples.txt` is the code section of the seeds (identical
in all five languages). These helpers pull out each curl body, each JavaScript
and GraphQL operation, the GraphQL section's variables, and the Python client.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

TEXT = (Path(__file__).parent / "fixtures" / "seed_examples.txt").read_text()


def curl_requests() -> list[tuple[dict[str, str], dict]]:
    """(headers, JSON body) of each curl example, in order."""
    found = []
    for block in re.findall(r"curl -X POST (.*?)'\n", TEXT, flags=re.S):
        headers = dict(re.findall(r'-H "([^:]+): ([^"]+)"', block))
        body = json.loads(block.split("-d '", 1)[1])
        found.append((headers, body))
    return found


def javascript_operations() -> list[str]:
    """The GraphQL documents inside the JavaScript client and the Apollo example."""
    js = TEXT[TEXT.index("// Doitong Universal API Client") : TEXT.index("import requests")]
    return re.findall(r"query: `(.*?)`", js, flags=re.S) + re.findall(r"gql`(.*?)`", js, flags=re.S)


def python_client_source() -> str:
    """The Python client class, without its ``__main__`` usage block."""
    return TEXT[TEXT.index("import requests") : TEXT.index("# Example usage")]


def _top_level_blocks(section: str) -> list[str]:
    blocks, depth, start = [], 0, None
    for index, char in enumerate(section):
        if char == "{":
            if depth == 0:
                line_start = section.rfind("\n", 0, index) + 1
                start = line_start
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0 and start is not None:
                blocks.append(section[start : index + 1])
                start = None
            depth = max(depth, 0)
    return blocks


def graphql_section() -> tuple[dict[str, str], list[dict]]:
    """({operation name: document}, [variables, …]) of the GraphQL section."""
    section = TEXT[TEXT.index("# Universal generation mutation") :]
    operations: dict[str, str] = {}
    variables: list[dict] = []
    for block in _top_level_blocks(section):
        head = block.lstrip()
        if head.startswith("{"):
            variables.append(json.loads(block))
        else:
            name = re.match(r"(?:mutation|query)\s+(\w+)", head)
            assert name, block
            operations[name.group(1)] = block
    return operations, variables
