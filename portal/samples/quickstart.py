"""The quick start on the home page: the seeds' examples, with this instance's URL."""

from __future__ import annotations

import json
from typing import Any

from portal.samples.base import GENERATION_ID, Sample, _join, curl

# --------------------------------------------------------------------------
# The quick start (home page): the seeds' examples, with this instance's URL.
# --------------------------------------------------------------------------

GENERATE_FIELDS = (
    "{ id status type provider url metadata { duration resolution } creditCost estimatedTime }"
)

QUICKSTART_CURL = _join(
    curl(
        "mutation Generate($input: GenerateInput!) { generate(input: $input) "
        + GENERATE_FIELDS
        + " }",
        {
            "input": {
                "type": "VIDEO",
                "provider": "minimax",
                "input": {"text": "A serene mountain landscape at sunset"},
                "options": {"duration": 10, "resolution": "1080p", "style": "cinematic"},
            }
        },
        comment="Universal generation API - Video example",
        headers=("Idempotency-Key: unique-request-id-123",),
    ),
    curl(
        'mutation { generate(input: { type: VIDEO, input: { text: "Epic dragon battle" }, '
        "priority: QUALITY }) { id status provider creditCost } }",
        comment="Auto-select best provider for quality",
    ),
    curl(
        f'query {{ generation(id: "{GENERATION_ID}") {{ status progress url '
        "error { code message } } }",
        comment="Check generation status (use the id returned above)",
    ),
)

QUICKSTART_JS = """\
// Doitong Universal API Client (Node.js 18+ or any modern browser)
class DoitongAPI {
  constructor(apiKey) {
    this.apiKey = apiKey;
    this.endpoint = 'BASE_URL/graphql';
  }

  async generate(input) {
    const response = await fetch(this.endpoint, {
      method: 'POST',
      headers: {
        'Authorization': `Bearer ${this.apiKey}`,
        'Content-Type': 'application/json',
        'Idempotency-Key': crypto.randomUUID()
      },
      body: JSON.stringify({
        query: `
          mutation Generate($input: GenerateInput!) {
            generate(input: $input) {
              id
              status
              type
              provider
              url
              metadata
              creditCost
              estimatedTime
              error {
                code
                message
              }
            }
          }
        `,
        variables: { input }
      })
    });

    const data = await response.json();

    // Check for rate limits
    const remaining = response.headers.get('X-RateLimit-Remaining');
    if (remaining && parseInt(remaining) < 10) {
      console.warn(`Low rate limit: ${remaining} requests remaining`);
    }

    if (data.errors) {
      throw new Error(data.errors[0].message);
    }

    return data.data.generate;
  }

  async checkStatus(id) {
    const response = await fetch(this.endpoint, {
      method: 'POST',
      headers: {
        'Authorization': `Bearer ${this.apiKey}`,
        'Content-Type': 'application/json'
      },
      body: JSON.stringify({
        query: `
          query GetGeneration($id: ID!) {
            generation(id: $id) {
              id
              status
              progress
              url
              error {
                code
                message
              }
            }
          }
        `,
        variables: { id }
      })
    });

    const data = await response.json();
    if (data.errors) {
      throw new Error(data.errors[0].message);
    }
    return data.data.generation;
  }

  async waitForCompletion(id, pollInterval = 2000) {
    while (true) {
      const result = await this.checkStatus(id);

      if (result.status === 'COMPLETED') {
        return result;
      } else if (result.status === 'FAILED' || result.status === 'CANCELLED') {
        throw new Error(result.error?.message || 'Generation failed');
      }

      await new Promise(resolve => setTimeout(resolve, pollInterval));
    }
  }
}

// Usage examples (an ES module, so top-level await works: save as quickstart.mjs)
const api = new DoitongAPI('YOUR_API_KEY');

// Simple video generation - let Doitong choose the provider
const video = await api.generate({
  type: 'VIDEO',
  input: { text: 'A serene mountain landscape' }
});

// Specific provider with options
const battle = await api.generate({
  type: 'VIDEO',
  provider: 'minimax',
  input: { text: 'Epic battle scene' },
  options: {
    duration: 10,
    resolution: '1080p',
    style: 'cinematic'
  }
});

// Image generation with auto-provider selection for quality
const image = await api.generate({
  type: 'IMAGE',
  input: { text: 'Photorealistic portrait' },
  priority: 'QUALITY'
});

// Wait for completion
const result = await api.waitForCompletion(video.id);
console.log('Video ready:', result.url);
"""

QUICKSTART_PYTHON = '''\
import requests
import time
import uuid
from typing import Dict, Optional, Any


class DoitongAPI:
    def __init__(self, api_key: str):
        self.api_key = api_key
        self.base_url = "BASE_URL/graphql"
        self.headers = {
            "Authorization": f"Bearer {api_key}",
            "Content-Type": "application/json"
        }

    def generate(self,
                 content_type: str,
                 input_data: Dict[str, Any],
                 provider: Optional[str] = None,
                 options: Optional[Dict] = None,
                 idempotency_key: Optional[str] = None) -> Dict:
        """Universal generation method for all content types"""

        # Add idempotency key for safe retries
        headers = self.headers.copy()
        headers["Idempotency-Key"] = idempotency_key or str(uuid.uuid4())

        query = """
        mutation Generate($input: GenerateInput!) {
          generate(input: $input) {
            id
            status
            type
            provider
            url
            metadata
            creditCost
            estimatedTime
            error
            errorCode
          }
        }
        """

        variables = {
            "input": {
                "type": content_type.upper(),
                "input": input_data
            }
        }

        if provider:
            variables["input"]["provider"] = provider
        if options:
            variables["input"]["options"] = options

        response = requests.post(
            self.base_url,
            headers=headers,
            json={"query": query, "variables": variables}
        )

        # Handle rate limiting
        if response.status_code == 429:
            retry_after = response.headers.get("X-RateLimit-Reset", 60)
            raise Exception(f"Rate limited. Retry after {retry_after} seconds")

        data = response.json()

        if "errors" in data:
            error = data["errors"][0]
            raise Exception(f"API Error: {error.get('message', 'Unknown error')}")

        return data["data"]["generate"]

    def check_status(self, generation_id: str) -> Dict:
        """Check the status of a generation"""
        query = """
        query GetGeneration($id: ID!) {
          generation(id: $id) {
            id
            status
            type
            url
            progress
            error
            errorCode
            metadata
            creditCost
          }
        }
        """

        response = requests.post(
            self.base_url,
            headers=self.headers,
            json={
                "query": query,
                "variables": {"id": generation_id}
            }
        )

        return response.json()["data"]["generation"]

    def wait_for_completion(self, generation_id: str, max_wait: int = 300) -> Dict:
        """Poll until generation is complete"""
        start_time = time.time()

        while time.time() - start_time < max_wait:
            result = self.check_status(generation_id)

            # Statuses are the upper-case enum names
            if result["status"] == "COMPLETED":
                return result
            elif result["status"] in ("FAILED", "CANCELLED"):
                error_code = result.get("errorCode") or "UNKNOWN_ERROR"
                error = result.get("error") or {}
                raise Exception(f"[{error_code}] {error.get('message', 'Generation failed')}")

            # Adaptive polling - start fast, slow down over time
            wait_time = 2 if time.time() - start_time < 30 else 5
            time.sleep(wait_time)

        raise TimeoutError("Generation timed out")


# Example usage
if __name__ == "__main__":
    api = DoitongAPI("YOUR_API_KEY")

    # Generate a video (auto-selects best provider)
    video = api.generate(
        content_type="video",
        input_data={"text": "A majestic eagle soaring through clouds"},
        options={"duration": 10, "resolution": "1080p"}
    )
    print(f"Video generation started: {video['id']}")

    # Wait for completion
    result = api.wait_for_completion(video["id"])
    print(f"Video ready: {result['url']}")
    print(f"Credits used: {result['creditCost']}")

    # Generate with specific provider
    image = api.generate(
        content_type="image",
        provider="flux-ultra",
        input_data={"text": "Professional product photography"},
        options={"aspectRatio": "16:9", "quality": "ultra"}
    )

    # Generate audio/TTS
    audio = api.generate(
        content_type="audio",
        provider="elevenlabs",
        input_data={"text": "Welcome to the future of AI"},
        options={"voice": "rachel", "emotion": "excited"}
    )
    print(f"Image {image['id']} and audio {audio['id']} are on their way")
'''

GRAPHQL_GENERATE = """\
# Universal generation mutation - works for all content types
mutation Generate($input: GenerateInput!) {
  generate(input: $input) {
    id
    status
    type
    provider
    url
    metadata
    creditCost
    estimatedTime
    progress
    error
    errorCode
  }
}"""

GRAPHQL_GENERATE_VARIABLES: list[tuple[str, dict[str, Any]]] = [
    (
        "video-auto",
        {
            "input": {
                "type": "VIDEO",
                "input": {"text": "A bustling Tokyo street at night with neon lights"},
                "options": {"duration": 10, "resolution": "1080p", "style": "cinematic"},
            }
        },
    ),
    (
        "video-kling",
        {
            "input": {
                "type": "VIDEO",
                "provider": "kling",
                "input": {"text": "Epic space battle scene"},
                "options": {"mode": "pro", "duration": 10, "aspectRatio": "16:9"},
            }
        },
    ),
    (
        "image-to-video",
        {
            "input": {
                "type": "VIDEO",
                "provider": "runway",
                "input": {
                    "text": "Make the character dance",
                    "image": "https://example.com/character.jpg",
                },
                "options": {"motionIntensity": "high", "model": "gen-3"},
            }
        },
    ),
    (
        "image",
        {
            "input": {
                "type": "IMAGE",
                "provider": "flux-ultra",
                "input": {"text": "Photorealistic portrait in Rembrandt style"},
                "options": {"aspectRatio": "16:9", "quality": "ultra", "seed": 42},
            }
        },
    ),
    (
        "audio",
        {
            "input": {
                "type": "AUDIO",
                "provider": "elevenlabs",
                "input": {"text": "Welcome to the future of artificial intelligence"},
                "options": {"voice": "rachel", "emotion": "excited", "speed": 1.0},
            }
        },
    ),
    (
        "avatar",
        {
            "input": {
                "type": "AVATAR",
                "provider": "heygen",
                "input": {
                    "text": "Hello, I'm your AI assistant",
                    "voice": "professional_female",
                },
                "options": {
                    "avatarId": "kate",
                    "background": "modern_office",
                    "gesture": "friendly",
                },
                "webhookUrl": "https://your-app.com/webhook",
            }
        },
    ),
]

GRAPHQL_GET_GENERATION = """\
# Query generation status
query GetGeneration($id: ID!) {
  generation(id: $id) {
    id
    status
    type
    provider
    url
    progress
    metadata {
      width
      height
      duration
      format
    }
    creditCost
    error
    errorCode
    createdAt
    completedAt
  }
}"""

GRAPHQL_CANCEL = """\
# Cancel a generation
mutation CancelGeneration($id: ID!) {
  cancelGeneration(id: $id)
}"""

GRAPHQL_PROVIDERS = """\
# Get available providers for a content type
query GetProviders($type: GenerationType!) {
  providers(type: $type) {
    id
    name
    description
    features
    limitations
    pricing {
      creditCost
      estimatedTime
    }
    options {
      name
      type
      required
      description
      allowedValues
    }
  }
}"""


def _variables(sample_id: str, suffix: str, value: dict[str, Any]) -> Sample:
    return Sample(
        f"{sample_id}-vars-{suffix}",
        "json",
        json.dumps(value, indent=2, ensure_ascii=False),
        variables_for=sample_id,
    )


def _quickstart_graphql() -> list[Sample]:
    found = [Sample("qs-graphql-generate", "graphql", GRAPHQL_GENERATE)]
    found += [
        _variables("qs-graphql-generate", name, value) for name, value in GRAPHQL_GENERATE_VARIABLES
    ]
    found += [
        Sample("qs-graphql-status", "graphql", GRAPHQL_GET_GENERATION),
        _variables("qs-graphql-status", "id", {"id": GENERATION_ID}),
        Sample("qs-graphql-cancel", "graphql", GRAPHQL_CANCEL),
        _variables("qs-graphql-cancel", "id", {"id": GENERATION_ID}),
        Sample("qs-graphql-providers", "graphql", GRAPHQL_PROVIDERS),
        _variables("qs-graphql-providers", "type", {"type": "VIDEO"}),
    ]
    return found


QUICKSTART: dict[str, list[Sample]] = {
    "curl": [Sample("qs-curl", "curl", QUICKSTART_CURL)],
    "javascript": [Sample("qs-javascript", "javascript", QUICKSTART_JS)],
    "python": [Sample("qs-python", "python", QUICKSTART_PYTHON)],
    "graphql": _quickstart_graphql(),
}
