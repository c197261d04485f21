"""The provider contract: catalogue declarations and the adapter interface.

A catalogue entry (`ProviderSpec`) declares everything a client, the portal and
input validation need to know about one provider: its options with types,
allowed values and defaults, its price rule (whole credits) and its estimated
time (seconds). A provider adapter (`ProviderAdapter`) turns a validated
`JobRequest` into calls to one vendor's HTTP API, or into the sandbox.

Both sides are plain data and functions: the domain code never imports GraphQL.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal, Protocol


class GenerationType(StrEnum):
    VIDEO = "VIDEO"
    IMAGE = "IMAGE"
    AUDIO = "AUDIO"
    AVATAR = "AVATAR"


class Priority(StrEnum):
    BALANCED = "BALANCED"
    QUALITY = "QUALITY"
    SPEED = "SPEED"
    COST = "COST"


# --------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------


class InvalidInput(ValueError):
    """A request that can never succeed as sent (code INVALID_INPUT).

    `field` names the offending input path, e.g. ``options.duration``.
    """

    code = "INVALID_INPUT"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class ProviderError(Exception):
    """A failure reported by, or while talking to, a provider.

    ``permanent`` errors (validation, auth, moderation) fail the job at once;
    transient ones (429, 5xx, timeouts, connection errors) are retried with
    backoff or moved to another provider. ``code`` is the client-facing error
    code stored on the generation.
    """

    permanent: bool = True
    code: str = "GENERATION_FAILED"

    def __init__(
        self,
        message: str,
        *,
        vendor_code: str | None = None,
        moderated: bool = False,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.vendor_code = vendor_code
        self.moderated = moderated
        self.retry_after = retry_after


class PermanentProviderError(ProviderError):
    permanent = True
    code = "GENERATION_FAILED"


class TransientProviderError(ProviderError):
    permanent = False
    code = "PROVIDER_UNAVAILABLE"


# --------------------------------------------------------------------------
# Declarations
# --------------------------------------------------------------------------

OptionType = Literal["string", "integer", "number", "boolean"]


@dataclass(frozen=True)
class OptionSpec:
    """One declared option of a catalogue entry.

    ``name`` is the camelCase key a client sends in ``options``. ``type`` is one of
    string, integer, number or boolean. String enums match case-insensitively and
    are normalised to the declared spelling. ``unit`` (e.g. "seconds", "pixels")
    is shown in the docs.
    """

    name: str
    type: OptionType
    description: str
    required: bool = False
    allowed_values: tuple[Any, ...] | None = None
    default: Any = None
    minimum: float | None = None
    maximum: float | None = None
    max_length: int | None = None
    unit: str | None = None

    def clean(self, value: Any) -> Any:
        """Return the normalised value, or raise `InvalidInput`."""
        where = f"options.{self.name}"
        value = _coerce(self.type, value, where)
        if self.allowed_values is not None:
            value = _match_allowed(value, self.allowed_values, where)
        if self.minimum is not None and value < self.minimum:
            raise InvalidInput(f"{where} must be at least {self.minimum:g}.", field=where)
        if self.maximum is not None and value > self.maximum:
            raise InvalidInput(f"{where} must be at most {self.maximum:g}.", field=where)
        if self.max_length is not None and len(value) > self.max_length:
            raise InvalidInput(
                f"{where} must be at most {self.max_length} characters.", field=where
            )
        return value


def _coerce(kind: OptionType, value: Any, where: str) -> Any:
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        raise InvalidInput(f"{where} must be true or false.", field=where)
    if kind == "string":
        if isinstance(value, str):
            return value
        raise InvalidInput(f"{where} must be a string.", field=where)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput(f"{where} must be a number.", field=where)
    if not math.isfinite(value):
        raise InvalidInput(f"{where} must be a finite number.", field=where)
    if kind == "integer":
        if isinstance(value, float) and not value.is_integer():
            raise InvalidInput(f"{where} must be a whole number.", field=where)
        return int(value)
    return value


def _match_allowed(value: Any, allowed: tuple[Any, ...], where: str) -> Any:
    for candidate in allowed:
        if isinstance(value, str) and isinstance(candidate, str):
            if value.lower() == candidate.lower():
                return candidate
        elif value == candidate:
            return candidate
    shown = ", ".join(str(a) for a in allowed)
    raise InvalidInput(f"{where} must be one of: {shown} (got {value!r}).", field=where)


@dataclass(frozen=True)
class Inputs:
    """The `input` of a generate call. Media fields are URLs (or data URIs)."""

    text: str | None = None
    image: str | None = None
    voice: str | None = None
    audio: str | None = None
    video: str | None = None

    def as_dict(self) -> dict[str, str]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


class PriceRule(Protocol):
    """Computes a job's price in whole credits from cleaned options and inputs."""

    def __call__(self, options: Mapping[str, Any], inputs: Inputs) -> int: ...

    def describe(self) -> str: ...


# A cross-field rule returns an error message, or None when the request is fine.
Rule = Callable[[Mapping[str, Any], Inputs], str | None]


@dataclass(frozen=True)
class ProviderSpec:
    """A catalogue entry. Prices are in credits (1 credit ≈ $0.0005 of vendor cost).

    - ``models``: the vendor model ids this entry can run, default first.
    - ``estimated_time``: typical seconds from submit to output.
    - ``quality`` and ``speed``: 1–10 scores used by auto-selection.
    - ``image_input``: "required" (image→video), "optional" or "none".
    - ``required_inputs``: input fields that must be present, e.g. ("text",).
    - ``max_text_length``: characters allowed in ``input.text``.
    - ``credentials``: env vars the live adapter needs; without them the entry is
      unavailable in live mode.
    - ``adapter``: dotted path of the live `ProviderAdapter` class.
    - ``doc_url``: the vendor documentation the adapter follows.
    """

    id: str
    name: str
    vendor: str
    type: GenerationType
    description: str
    models: tuple[str, ...]
    features: tuple[str, ...]
    limitations: tuple[str, ...]
    options: tuple[OptionSpec, ...]
    price: PriceRule
    estimated_time: int
    quality: int
    speed: int
    credentials: tuple[str, ...]
    adapter: str
    doc_url: str
    image_input: Literal["required", "optional", "none"] = "none"
    # Env vars of a second route when ``credentials`` are missing (Seedance via fal.ai).
    alternative_credentials: tuple[str, ...] = ()
    required_inputs: tuple[str, ...] = ("text",)
    max_text_length: int = 2000
    rules: tuple[Rule, ...] = ()
    category: str = ""
    tags: tuple[str, ...] = field(default=())

    def option(self, name: str) -> OptionSpec | None:
        for opt in self.options:
            if opt.name == name:
                return opt
        return None


# --------------------------------------------------------------------------
# Adapters
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class JobRequest:
    """What an adapter is asked to do: a validated request with defaults filled in."""

    generation_id: str
    type: GenerationType
    provider: str
    inputs: Inputs
    options: Mapping[str, Any]
    webhook_hint: str | None = None  # an optional vendor callback URL (speed-up only)


@dataclass
class Output:
    """A finished job's media: either raw ``content`` or a ``url`` to copy at once.

    ``headers`` are sent when downloading ``url`` (Veo needs the API key).
    ``metadata`` may pre-fill width/height/duration (pixels, seconds).
    """

    content_type: str
    content: bytes | None = None
    url: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    metadata: dict[str, Any] = field(default_factory=dict)


JobStatus = Literal["pending", "running", "succeeded", "failed"]


@dataclass
class JobState:
    """One observation of a vendor job.

    ``handle`` is the JSON-serialisable state the pipeline stores on the
    generation and gives back to `ProviderAdapter.poll` (task id, polling URL…).
    ``progress`` is 0–100. ``error`` is set when ``status`` is "failed".
    """

    status: JobStatus
    handle: dict[str, Any] = field(default_factory=dict)
    progress: int = 0
    output: Output | None = None
    error: ProviderError | None = None


class ProviderAdapter(ABC):
    """The contract every vendor adapter and the sandbox implement.

    ``submit`` starts a job (synchronous vendors may return a finished state at
    once). ``poll`` is called by a scheduled task, never in a sleep loop. Both
    raise `TransientProviderError` or `PermanentProviderError`; a vendor-reported
    failure may also come back as ``JobState(status="failed", error=...)``.
    """

    def __init__(self, spec: ProviderSpec) -> None:
        self.spec = spec

    @abstractmethod
    def submit(self, job: JobRequest) -> JobState: ...

    def poll(self, job: JobRequest, handle: Mapping[str, Any]) -> JobState:
        raise NotImplementedError(f"{self.spec.id} is synchronous and cannot be polled")

    def cancel(self, job: JobRequest, handle: Mapping[str, Any]) -> bool:
        """Ask the vendor to stop the job. Returns False where the vendor cannot."""
        return False

    def poll_interval(self, attempt: int) -> float:
        """Seconds to wait before poll number ``attempt`` (1-based), with backoff."""
        return min(2.0 * (1.5 ** (attempt - 1)), 30.0)


class ProviderUnavailable(Exception):
    """No configured, healthy provider can take the request (code PROVIDER_UNAVAILABLE)."""

    code = "PROVIDER_UNAVAILABLE"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
