"""The catalogue: every provider entry Doitong offers, as `ProviderSpec` declarations.

`CATALOGUE` lists video, image, audio and avatar entries in that order; the
registry, the `providers` query, the portal and input validation all read it.
"""

from __future__ import annotations

from providers.base import ProviderSpec
from providers.catalogue import audio, avatar, image, video

CATALOGUE: tuple[ProviderSpec, ...] = (
    *video.ENTRIES,
    *image.ENTRIES,
    *audio.ENTRIES,
    *avatar.ENTRIES,
)

__all__ = ["CATALOGUE"]
