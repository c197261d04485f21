"""Price rules for catalogue entries, in whole credits.

The scale is about 1 credit = $0.0005 of vendor cost. Every rule is a small
frozen dataclass with ``__call__(options, inputs) -> int`` and ``describe()`` for
the docs, so the `providers` query, the portal and the hold all read one rule.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from providers.base import Inputs


def _multiplier(options: Mapping[str, Any], by: Mapping[str, Mapping[Any, float]]) -> float:
    factor = 1.0
    for option_name, table in by.items():
        factor *= table.get(options.get(option_name), 1.0)
    return factor


@dataclass(frozen=True)
class Flat:
    """A fixed price per job, optionally scaled by option values.

    ``by`` maps an option name to {value: multiplier}, e.g. {"mode": {"pro": 1.8}}.
    """

    credits: int
    by: Mapping[str, Mapping[Any, float]] = field(default_factory=dict)

    def __call__(self, options: Mapping[str, Any], inputs: Inputs) -> int:
        return max(1, math.ceil(self.credits * _multiplier(options, self.by)))

    def describe(self) -> str:
        return f"{self.credits} credits per job"


@dataclass(frozen=True)
class PerSecond:
    """``credits_per_second`` × the ``duration`` option (seconds), scaled by ``by``."""

    credits_per_second: float
    default_duration: float
    duration_option: str = "duration"
    by: Mapping[str, Mapping[Any, float]] = field(default_factory=dict)

    def __call__(self, options: Mapping[str, Any], inputs: Inputs) -> int:
        seconds = float(options.get(self.duration_option) or self.default_duration)
        return max(1, math.ceil(self.credits_per_second * seconds * _multiplier(options, self.by)))

    def describe(self) -> str:
        return f"{self.credits_per_second:g} credits per second of output"


@dataclass(frozen=True)
class PerCount:
    """``credits`` per output item, times the integer option ``count_option``."""

    credits: int
    count_option: str
    by: Mapping[str, Mapping[Any, float]] = field(default_factory=dict)

    def __call__(self, options: Mapping[str, Any], inputs: Inputs) -> int:
        count = int(options.get(self.count_option) or 1)
        return max(1, math.ceil(self.credits * count * _multiplier(options, self.by)))

    def describe(self) -> str:
        return f"{self.credits} credits per {self.count_option}"


@dataclass(frozen=True)
class PerCharacter:
    """``credits_per_1000`` per 1,000 characters of ``input.text``, at least ``minimum``."""

    credits_per_1000: float
    minimum: int = 1
    by: Mapping[str, Mapping[Any, float]] = field(default_factory=dict)

    def __call__(self, options: Mapping[str, Any], inputs: Inputs) -> int:
        chars = len(inputs.text or "")
        raw = self.credits_per_1000 * chars / 1000 * _multiplier(options, self.by)
        return max(self.minimum, math.ceil(raw))

    def describe(self) -> str:
        return f"{self.credits_per_1000:g} credits per 1,000 characters (minimum {self.minimum})"


@dataclass(frozen=True)
class PerSpokenSecond:
    """For avatars: ``credits_per_second`` × the speech length estimated from the text.

    Speech length is ``len(text) / chars_per_second`` seconds (about 15 characters
    a second for natural speech), at least ``minimum_seconds``.
    """

    credits_per_second: float
    chars_per_second: float = 15.0
    minimum_seconds: float = 3.0
    by: Mapping[str, Mapping[Any, float]] = field(default_factory=dict)

    def __call__(self, options: Mapping[str, Any], inputs: Inputs) -> int:
        seconds = max(self.minimum_seconds, len(inputs.text or "") / self.chars_per_second)
        return max(1, math.ceil(self.credits_per_second * seconds * _multiplier(options, self.by)))

    def describe(self) -> str:
        return f"{self.credits_per_second:g} credits per second of speech"


def speech_seconds(text: str, speed: float = 1.0, chars_per_second: float = 15.0) -> float:
    """Estimated seconds of natural speech for ``text`` at ``speed`` (1.0 = normal)."""
    return max(1.0, len(text) / (chars_per_second * max(speed, 0.25)))


@dataclass(frozen=True)
class Rendered:
    """Prices what the vendor actually renders, not what was asked.

    ``downgrades`` is a tuple of (when, becomes) pairs: when every option in
    ``when`` has that value, the options in ``becomes`` are priced instead, e.g.
    MiniMax renders a 10-second 1080p request at 768p.
    """

    rule: Any
    downgrades: tuple[tuple[Mapping[str, Any], Mapping[str, Any]], ...]

    def __call__(self, options: Mapping[str, Any], inputs: Inputs) -> int:
        priced = dict(options)
        for when, becomes in self.downgrades:
            if all(priced.get(name) == value for name, value in when.items()):
                priced.update(becomes)
        return self.rule(priced, inputs)

    def describe(self) -> str:
        return self.rule.describe()
