"""The samples of the docs pages (guides, concepts, test mode, the dashboard)."""

from __future__ import annotations

import json

from portal.samples.base import GENERATION_ID, Sample, _join, curl
from portal.samples.quickstart import (
    GRAPHQL_PROVIDERS,
    _variables,
)

# --------------------------------------------------------------------------
# Docs samples
# --------------------------------------------------------------------------

IMAGE_QUERY = (
    "mutation Generate($input: GenerateInput!) { generate(input: $input) "
    "{ id status provider creditCost estimatedTime } }"
)

GS_PYTHON = '''\
import time

import requests

API_URL = "BASE_URL/graphql"
HEADERS = {"Authorization": "Bearer YOUR_API_KEY"}


def graphql(query, variables=None):
    response = requests.post(API_URL, json={"query": query, "variables": variables},
                             headers=HEADERS, timeout=30)
    body = response.json()
    if body.get("errors"):
        error = body["errors"][0]
        raise RuntimeError(f"{error['extensions']['code']}: {error['message']}")
    return body["data"]


# 1. Ask for an image
job = graphql(
    """mutation Generate($input: GenerateInput!) {
         generate(input: $input) { id status creditCost }
       }""",
    {"input": {"type": "IMAGE", "provider": "flux-dev",
               "input": {"text": "A lighthouse at dawn"},
               "options": {"aspectRatio": "16:9"}}},
)["generate"]
print("queued", job["id"], "for", job["creditCost"], "credits")

# 2. Poll every 2 seconds until it is final
while True:
    generation = graphql(
        "query ($id: ID!) { generation(id: $id) { status progress url error { code message } } }",
        {"id": job["id"]},
    )["generation"]
    if generation["status"] == "COMPLETED":
        print("ready:", generation["url"])
        break
    if generation["status"] in ("FAILED", "CANCELLED"):
        raise RuntimeError(generation["error"]["message"])
    time.sleep(2)
'''

GS_JS = """\
// Node.js 18+ (save as first-generation.mjs and run: node first-generation.mjs)
const API_URL = 'BASE_URL/graphql';
const API_KEY = 'YOUR_API_KEY';

async function graphql(query, variables = {}) {
  const response = await fetch(API_URL, {
    method: 'POST',
    headers: { 'Authorization': `Bearer ${API_KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ query, variables })
  });
  const body = await response.json();
  if (body.errors) {
    throw new Error(`${body.errors[0].extensions.code}: ${body.errors[0].message}`);
  }
  return body.data;
}

const { generate } = await graphql(
  `mutation Generate($input: GenerateInput!) { generate(input: $input) { id status } }`,
  { input: { type: 'AUDIO', provider: 'google-tts', input: { text: 'Hello from Doitong' } } }
);
console.log('queued', generate.id);

while (true) {
  const { generation } = await graphql(
    `query ($id: ID!) { generation(id: $id) { status url error { code message } } }`,
    { id: generate.id }
  );
  if (generation.status === 'COMPLETED') {
    console.log('ready:', generation.url);
    break;
  }
  if (generation.status === 'FAILED' || generation.status === 'CANCELLED') {
    throw new Error(generation.error.message);
  }
  await new Promise(resolve => setTimeout(resolve, 2000));
}
"""

STATUS_PYTHON = '''\
import time

import requests

API_URL = "BASE_URL/graphql"
HEADERS = {"Authorization": "Bearer YOUR_API_KEY"}
FINAL = {"COMPLETED", "FAILED", "CANCELLED"}


def wait_for(generation_id, timeout=600):
    """Poll a generation until it is final: every 2 s at first, then every 5 s."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        response = requests.post(API_URL, headers=HEADERS, timeout=30, json={
            "query": "query ($id: ID!) { generation(id: $id) "
                     "{ id status progress url errorCode error { message } } }",
            "variables": {"id": generation_id},
        })
        if response.status_code == 429:  # read limit: wait as told
            time.sleep(int(response.headers.get("Retry-After", "1")))
            continue
        generation = response.json()["data"]["generation"]
        print(f"{generation['status']} {generation['progress']}%")
        if generation["status"] in FINAL:
            return generation
        time.sleep(2 if time.monotonic() - started < 30 else 5)
    raise TimeoutError(generation_id)


generation = wait_for("GENERATION_ID")
assert generation["status"] == "COMPLETED", generation
print(generation["url"])
'''

CANCEL_PYTHON = """\
import requests

API_URL = "BASE_URL/graphql"
HEADERS = {"Authorization": "Bearer YOUR_API_KEY"}

started = requests.post(API_URL, headers=HEADERS, json={
    "query": "mutation ($input: GenerateInput!) { generate(input: $input) { id status } }",
    "variables": {"input": {"type": "VIDEO", "provider": "kling",
                            "input": {"text": "A paper boat on a stream"}}},
}).json()["data"]["generate"]

cancelled = requests.post(API_URL, headers=HEADERS, json={
    "query": "mutation ($id: ID!) { cancelGeneration(id: $id) }",
    "variables": {"id": started["id"]},
}).json()["data"]["cancelGeneration"]

# True: it was still QUEUED or PROCESSING and its credits are back.
# False: it had already finished (COMPLETED, FAILED or CANCELLED).
print(started["id"], "cancelled" if cancelled else "already final")
"""

ERRORS_PYTHON = """\
import requests

API_URL = "BASE_URL/graphql"
HEADERS = {"Authorization": "Bearer YOUR_API_KEY"}

response = requests.post(API_URL, headers=HEADERS, json={
    "query": "mutation ($input: GenerateInput!) { generate(input: $input) { id } }",
    "variables": {"input": {"type": "IMAGE", "provider": "flux-dev",
                            "input": {"text": "A red bicycle"},
                            "options": {"aspectRatio": "5:1"}}},
})
body = response.json()
for error in body.get("errors", []):
    code = error["extensions"]["code"]
    if code == "INVALID_INPUT":
        print("fix the request:", error["extensions"].get("field"), "-", error["message"])
    elif code == "INSUFFICIENT_CREDITS":
        print("top up: this job needs", error["extensions"]["required"], "credits")
    elif code == "RATE_LIMIT":
        print("slow down: retry in", error["extensions"]["retryAfter"], "seconds")
    else:
        print(code, error["message"])
"""


def _error_response() -> str:
    """What the API answers to ``errors-curl-invalid`` (the message comes from validation)."""
    from providers.base import InvalidInput
    from providers.registry import get_spec

    spec = get_spec("flux-dev")
    option = spec.option("aspectRatio") if spec else None
    try:
        assert option is not None
        option.clean("5:1")
        message = "options.aspectRatio is not valid."
    except InvalidInput as exc:
        message = exc.message
    body = {
        "errors": [
            {
                "message": message,
                "locations": [{"line": 1, "column": 12}],
                "path": ["generate"],
                "extensions": {"code": "INVALID_INPUT", "field": "options.aspectRatio"},
            }
        ],
        "data": {"generate": None},
    }
    return json.dumps(body, indent=2)


ERROR_RESPONSE = _error_response()

RATE_LIMIT_HEADERS = """\
HTTP/1.1 200 OK
Content-Type: application/json
X-RateLimit-Limit: 600
X-RateLimit-Remaining: 599
X-RateLimit-Reset: 42
RateLimit-Policy: "reads_per_minute";q=600;w=60
X-Request-Id: req_f6048bf6ce3b458d9b03eb048810623b"""

RATE_LIMIT_PYTHON = '''\
import time

import requests

API_URL = "BASE_URL/graphql"
HEADERS = {"Authorization": "Bearer YOUR_API_KEY"}


def post_with_retry(payload, attempts=5):
    """POST to the API; on 429 wait as long as Retry-After says, then try again."""
    for _ in range(attempts):
        response = requests.post(API_URL, headers=HEADERS, json=payload, timeout=30)
        if response.status_code != 429:
            return response
        time.sleep(int(response.headers.get("Retry-After", "1")))
    raise RuntimeError("still rate limited")


response = post_with_retry({"query": "{ me { plan { name requestsPerMinute } } }"})
print(response.json()["data"]["me"]["plan"])
print("remaining:", response.headers["X-RateLimit-Remaining"],
      "reset in:", response.headers["X-RateLimit-Reset"], "s")
'''

IDEMPOTENCY_PYTHON = """\
import uuid

import requests

API_URL = "BASE_URL/graphql"
HEADERS = {"Authorization": "Bearer YOUR_API_KEY"}
payload = {
    "query": "mutation ($input: GenerateInput!) { generate(input: $input) { id creditCost } }",
    "variables": {"input": {"type": "IMAGE", "provider": "flux-dev",
                            "input": {"text": "A snowy cabin"}}},
}

# One key per logical request, reused for every retry of that request.
key = str(uuid.uuid4())
for attempt in range(3):
    try:
        response = requests.post(API_URL, json=payload, timeout=30,
                                 headers={**HEADERS, "Idempotency-Key": key})
        break
    except requests.ConnectionError:
        continue  # safe: the same key never creates a second generation

first = response.json()["data"]["generate"]
again = requests.post(API_URL, json=payload, headers={**HEADERS, "Idempotency-Key": key})
assert again.headers["Idempotent-Replayed"] == "true"
assert again.json()["data"]["generate"]["id"] == first["id"]
print("one generation:", first["id"])
"""

WEBHOOK_PAYLOAD = """\
{
  "type": "generation.completed",
  "timestamp": "2025-01-15T10:32:07.512843+00:00",
  "data": {
    "id": "gen_3k9x2m4q8r1t6v0w5y7z2a4c",
    "status": "COMPLETED",
    "type": "IMAGE",
    "provider": "flux-dev",
    "url": "BASE_URL/media/generations/2025/01/15/gen_3k9x2m4q8r1t6v0w5y7z2a4c/output.png",
    "progress": 100,
    "metadata": { "width": 1024, "height": 576, "format": "png", "bytes": 48213 },
    "creditCost": 50,
    "estimatedTime": 6,
    "error": null,
    "errorCode": null,
    "attempts": [{ "provider": "flux-dev", "status": "COMPLETED" }],
    "createdAt": "2025-01-15T10:32:01.004512+00:00",
    "completedAt": "2025-01-15T10:32:07.498320+00:00"
  }
}"""

WEBHOOK_HEADERS = """\
POST /webhooks/doitong HTTP/1.1
content-type: application/json
webhook-id: msg_2b7x9q4k1m8r3t6v0w5y7z2a
webhook-timestamp: 1736937127
webhook-signature: v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4="""

WEBHOOK_PYTHON = '''\
# pip install standardwebhooks
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

WEBHOOK_SECRET = "whsec_..."  # from your dashboard


def verify_webhook(body: bytes, headers: dict, secret: str = WEBHOOK_SECRET) -> dict:
    """Return the event if the signature is valid; raise WebhookVerificationError if not.

    body is the raw request body (bytes, before any JSON parsing); headers must hold
    webhook-id, webhook-timestamp and webhook-signature. Timestamps older or newer
    than five minutes are refused, which stops replays.
    """
    return Webhook(secret).verify(body, headers)


# In a Django view, for example:
# def doitong_webhook(request):
#     try:
#         event = verify_webhook(request.body, request.headers)
#     except WebhookVerificationError:
#         return HttpResponse(status=400)
#     if event["type"] == "generation.completed":
#         save_output(event["data"]["id"], event["data"]["url"])
#     return HttpResponse(status=204)
'''

WEBHOOK_JS = """\
// Node.js: verify a Standard Webhooks signature with the built-in crypto module.
import crypto from 'node:crypto';

const WEBHOOK_SECRET = 'whsec_...'; // from your dashboard

export function verifyWebhook(rawBody, headers, secret = WEBHOOK_SECRET) {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (!id || !timestamp || !signatures) throw new Error('missing webhook headers');

  // Refuse old or future timestamps (five minutes either way) to stop replays.
  const now = Math.floor(Date.now() / 1000);
  if (Math.abs(now - Number(timestamp)) > 300) throw new Error('timestamp out of range');

  // The key is the base64 part of whsec_...; the signed content is id.timestamp.body.
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = crypto
    .createHmac('sha256', key)
    .update(`${id}.${timestamp}.${rawBody}`)
    .digest();

  // The header holds one or more space-separated "v1,<base64>" signatures.
  for (const versioned of signatures.split(' ')) {
    const [version, signature] = versioned.split(',');
    if (version !== 'v1' || !signature) continue;
    const given = Buffer.from(signature, 'base64');
    if (given.length === expected.length && crypto.timingSafeEqual(given, expected)) {
      return JSON.parse(rawBody);
    }
  }
  throw new Error('invalid signature');
}

// With Express, keep the raw body: app.post('/webhooks/doitong',
//   express.raw({ type: 'application/json' }),
//   (req, res) => { const event = verifyWebhook(req.body.toString('utf8'), req.headers); ... })
"""

SANDBOX_PYTHON = '''\
import time

import requests

API_URL = "BASE_URL/graphql"
HEADERS = {"Authorization": "Bearer YOUR_API_KEY"}  # a dt_test_ key


def run(outcome):
    """Start a sandbox job that ends as `outcome`, then poll it until it is final."""
    job = requests.post(API_URL, headers=HEADERS, json={
        "query": "mutation ($input: GenerateInput!) { generate(input: $input) { id } }",
        "variables": {"input": {"type": "IMAGE", "provider": "flux-dev",
                                "input": {"text": "A test pattern"},
                                "options": {"sandbox": outcome}}},
    }).json()["data"]["generate"]
    while True:
        generation = requests.post(API_URL, headers=HEADERS, json={
            "query": "query ($id: ID!) { generation(id: $id) { status errorCode } }",
            "variables": {"id": job["id"]},
        }).json()["data"]["generation"]
        if generation["status"] in ("COMPLETED", "FAILED", "CANCELLED"):
            return generation
        time.sleep(2)


for outcome in ("succeed", "fail", "moderated", "unavailable"):
    generation = run(outcome)
    print(outcome, "->", generation["status"], generation["errorCode"])
'''


def _docs_samples() -> list[Sample]:
    return [
        # Getting started
        Sample(
            "gs-curl-generate",
            "curl",
            curl(
                IMAGE_QUERY,
                {
                    "input": {
                        "type": "IMAGE",
                        "provider": "flux-dev",
                        "input": {"text": "A lighthouse at dawn"},
                        "options": {"aspectRatio": "16:9"},
                    }
                },
            ),
        ),
        Sample(
            "gs-curl-status",
            "curl",
            curl(
                f'query {{ generation(id: "{GENERATION_ID}") '
                "{ status progress url metadata { width height format } } }"
            ),
        ),
        Sample("gs-python", "python", GS_PYTHON),
        Sample("gs-javascript", "javascript", GS_JS),
        # Authentication
        Sample(
            "auth-curl-me",
            "curl",
            curl(
                "query { me { email mode plan { name requestsPerMinute concurrent daily } "
                "credits { live test } usage { concurrent today } } }"
            ),
        ),
        Sample(
            "auth-curl-bad-key",
            "curl",
            curl("query { me { email } }", key="dt_test_not-a-real-key"),
            expect="UNAUTHENTICATED",
        ),
        # Generate
        Sample(
            "gen-curl-named",
            "curl",
            curl(
                IMAGE_QUERY,
                {
                    "input": {
                        "type": "VIDEO",
                        "provider": "kling",
                        "input": {"text": "Epic space battle scene"},
                        "options": {"mode": "pro", "duration": 10, "aspectRatio": "16:9"},
                    }
                },
            ),
        ),
        Sample(
            "gen-curl-auto",
            "curl",
            curl(
                IMAGE_QUERY,
                {
                    "input": {
                        "type": "IMAGE",
                        "input": {"text": "A watercolor fox"},
                        "priority": "COST",
                    }
                },
            ),
        ),
        Sample(
            "gen-curl-image-input",
            "curl",
            curl(
                IMAGE_QUERY,
                {
                    "input": {
                        "type": "VIDEO",
                        "provider": "kling-animation",
                        "input": {
                            "text": "The character waves and smiles",
                            "image": "https://example.com/character.jpg",
                        },
                        "options": {"duration": 5},
                    }
                },
            ),
        ),
        Sample(
            "gen-curl-legacy",
            "curl",
            curl(
                "mutation CreateVideo($input: VideoCreateInput!) { videoCreate(input: $input) "
                "{ id status videoUrl } }",
                {
                    "input": {
                        "prompt": "Beautiful sunset over ocean",
                        "model": "luma",
                        "duration": 9,
                    }
                },
            ),
        ),
        Sample("gen-graphql-providers", "graphql", GRAPHQL_PROVIDERS),
        _variables("gen-graphql-providers", "type", {"type": "IMAGE"}),
        # Status
        Sample(
            "status-curl-one",
            "curl",
            curl(
                "query GetGeneration($id: ID!) { generation(id: $id) { id status progress url "
                "metadata creditCost error { code message } createdAt completedAt } }",
                {"id": GENERATION_ID},
            ),
        ),
        Sample(
            "status-curl-list",
            "curl",
            curl(
                "query { generations(first: 5, status: COMPLETED) { nodes { id type provider "
                "status url createdAt } pageInfo { hasNextPage endCursor } } }"
            ),
        ),
        Sample(
            "status-graphql-page",
            "graphql",
            """\
query Page($after: String) {
  generations(first: 20, after: $after, type: IMAGE) {
    edges {
      cursor
      node { id status provider creditCost url }
    }
    pageInfo { hasNextPage endCursor }
  }
}""",
        ),
        _variables("status-graphql-page", "first", {"after": None}),
        Sample("status-python", "python", STATUS_PYTHON),
        # Cancellation
        Sample(
            "cancel-curl",
            "curl",
            curl(f'mutation {{ cancelGeneration(id: "{GENERATION_ID}") }}'),
        ),
        Sample("cancel-python", "python", CANCEL_PYTHON),
        # Errors
        Sample("errors-response", "json", ERROR_RESPONSE, output=True),
        Sample(
            "errors-curl-invalid",
            "curl",
            curl(
                'mutation { generate(input: { type: IMAGE, provider: "flux-dev", '
                'input: { text: "A red bicycle" }, options: { aspectRatio: "5:1" } }) { id } }'
            ),
            expect="INVALID_INPUT",
        ),
        Sample("errors-python", "python", ERRORS_PYTHON),
        # Rate limits
        Sample(
            "rl-curl-headers",
            "curl",
            curl("query { me { plan { name requestsPerMinute concurrent daily } } }", flags="-i"),
        ),
        Sample("rl-headers", "http", RATE_LIMIT_HEADERS, output=True),
        Sample("rl-python", "python", RATE_LIMIT_PYTHON),
        # Idempotency
        Sample(
            "idem-curl",
            "curl",
            _join(
                *(
                    curl(
                        IMAGE_QUERY,
                        {
                            "input": {
                                "type": "IMAGE",
                                "provider": "flux-pro",
                                "input": {"text": "A snowy cabin"},
                            }
                        },
                        comment=comment,
                        headers=("Idempotency-Key: order-42-thumbnail",),
                        flags="-i",
                    )
                    for comment in (
                        "The first request runs",
                        "The same key and body again: the stored response comes back, "
                        "with Idempotent-Replayed: true",
                    )
                )
            ),
        ),
        Sample("idem-python", "python", IDEMPOTENCY_PYTHON),
        # Webhooks
        Sample(
            "wh-curl-generate",
            "curl",
            curl(
                IMAGE_QUERY,
                {
                    "input": {
                        "type": "IMAGE",
                        "provider": "flux-dev",
                        "input": {"text": "A lighthouse at dawn"},
                        "webhookUrl": "https://your-app.com/webhooks/doitong",
                    }
                },
            ),
        ),
        Sample("wh-headers", "http", WEBHOOK_HEADERS, output=True),
        Sample("wh-payload", "json", WEBHOOK_PAYLOAD, output=True),
        Sample("wh-python", "python", WEBHOOK_PYTHON),
        Sample("wh-javascript", "javascript", WEBHOOK_JS),
        # Test mode
        Sample(
            "tm-curl-fail",
            "curl",
            curl(
                'mutation { generate(input: { type: IMAGE, provider: "flux-dev", '
                'input: { text: "A test pattern" }, options: { sandbox: "fail" } }) '
                "{ id status creditCost } }"
            ),
        ),
        Sample("tm-python", "python", SANDBOX_PYTHON),
        # Dashboard: the first call with a new key
        Sample(
            "dashboard-curl",
            "curl",
            curl(
                IMAGE_QUERY,
                {
                    "input": {
                        "type": "IMAGE",
                        "provider": "flux-dev",
                        "input": {"text": "A lighthouse at dawn"},
                        "options": {"aspectRatio": "16:9"},
                    }
                },
            ),
        ),
    ]
