"""Real, valid media files rendered on the fly for the test-mode sandbox.

The sandbox is a fake provider that never calls a vendor, yet clients must get
files they can open, play and inspect. Everything here is rendered with
libraries only (Pillow for pictures, PyAV for H.264/AAC/MP3/Opus, the stdlib
`wave` module for WAV), in memory, deterministically from the arguments.

Units: sizes are in pixels, durations and times in seconds, frame rates in
frames per second and sample rates / frequencies in Hz.
"""

from __future__ import annotations

import colorsys
import io
import math
import random
import re
import sys
import unicodedata
import wave
import zlib
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Any

import av
from PIL import Image, ImageChops, ImageDraw, ImageFont

__all__ = [
    "AUDIO_FORMATS",
    "IMAGE_FORMATS",
    "MAX_DIMENSION",
    "MAX_DURATION",
    "MP3_SAMPLE_RATES",
    "OPUS_SAMPLE_RATE",
    "render_audio",
    "render_image",
    "render_video",
]

IMAGE_FORMATS: tuple[str, ...] = ("png", "jpeg", "webp")
AUDIO_FORMATS: tuple[str, ...] = ("wav", "mp3", "ogg")

#: Largest accepted width or height, in pixels.
MAX_DIMENSION = 4096
#: Longest accepted video or audio, in seconds.
MAX_DURATION = 600.0
#: Frame rates accepted by `render_video`, in frames per second.
MIN_FPS, MAX_FPS = 1, 60
#: Sample rates (Hz) the MP3 encoder accepts.
MP3_SAMPLE_RATES: frozenset[int] = frozenset(
    {8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000}
)
#: Opus always runs at 48 kHz in an Ogg container.
OPUS_SAMPLE_RATE = 48000
#: Sample rate (Hz) of the AAC track of avatar videos.
VIDEO_AUDIO_SAMPLE_RATE = 48000

_Color = tuple[int, int, int]

# --------------------------------------------------------------------------
# Validation helpers
# --------------------------------------------------------------------------


def _check_dimension(name: str, value: int, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int (pixels), got {type(value).__name__}")
    if not minimum <= value <= MAX_DIMENSION:
        raise ValueError(f"{name} must be between {minimum} and {MAX_DIMENSION} pixels")
    return value


def _check_duration(duration: float) -> float:
    duration = float(duration)
    if not math.isfinite(duration) or not 0 < duration <= MAX_DURATION:
        raise ValueError(f"duration must be > 0 and <= {MAX_DURATION:g} seconds")
    return duration


# --------------------------------------------------------------------------
# Pictures
# --------------------------------------------------------------------------


@lru_cache(maxsize=32)
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """Pillow's built-in font at ``size`` pixels (bitmap fallback without FreeType)."""
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, ImportError, OSError):  # old Pillow or no FreeType support
        return ImageFont.load_default()


def _text_width(font: ImageFont.FreeTypeFont | ImageFont.ImageFont, text: str) -> float:
    return float(font.getlength(text))


def _line_height(font: ImageFont.FreeTypeFont | ImageFont.ImageFont) -> int:
    _left, top, _right, bottom = font.getbbox("Ag")
    return max(1, int(bottom - top))


def _fit(text: str, font: ImageFont.FreeTypeFont | ImageFont.ImageFont, max_width: float) -> int:
    """Length of the longest prefix of ``text`` at most ``max_width`` pixels wide (>= 1)."""
    low, high = 1, len(text)
    while low < high:  # binary search: O(log n) measurements
        middle = (low + high + 1) // 2
        if _text_width(font, text[:middle]) <= max_width:
            low = middle
        else:
            high = middle - 1
    return low


def _wrap(
    text: str,
    font: ImageFont.FreeTypeFont | ImageFont.ImageFont,
    max_width: float,
    max_lines: int,
) -> list[str]:
    """Greedy word wrap to ``max_width`` pixels; ellipsised after ``max_lines`` lines.

    Stops as soon as the text overflows, so very long prompts cost no more than
    short ones.
    """
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if _text_width(font, candidate) <= max_width:
            current = candidate
            continue
        if current:
            lines.append(current)
        # Hard-split words wider than a whole line.
        while len(lines) <= max_lines and _text_width(font, word) > max_width and len(word) > 1:
            cut = _fit(word, font, max_width)
            lines.append(word[:cut])
            word = word[cut:]
        current = word
        if len(lines) > max_lines:
            break
    else:
        if current:
            lines.append(current)
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        lines = lines[: max_lines - 1]
        if _text_width(font, last + "…") > max_width:
            last = last[: max(0, _fit(last + "…", font, max_width) - 1)]
        lines.append(last + "…")
    return lines


def _palette(prompt: str, seed: int) -> tuple[random.Random, _Color, _Color, _Color]:
    """A seeded RNG and three harmonious RGB colours for ``prompt``/``seed``."""
    rng = random.Random(f"doitong-sandbox:{seed}:{prompt}")
    hue = rng.random()

    def hsv(h: float, s: float, v: float) -> _Color:
        r, g, b = colorsys.hsv_to_rgb(h % 1.0, s, v)
        return (round(r * 255), round(g * 255), round(b * 255))

    return (
        rng,
        hsv(hue, 0.65, 0.35),
        hsv(hue + 0.12 + rng.random() * 0.2, 0.7, 0.85),
        hsv(hue + 0.5, 0.5, 0.95),
    )


def _background(width: int, height: int, prompt: str, seed: int) -> Image.Image:
    """A seeded diagonal gradient with a soft glow and a few translucent discs.

    Built from Pillow's 256x256 gradient images resized to ``width``x``height``
    pixels, so the cost does not grow with a Python loop per pixel.
    """
    rng, dark, bright, glow = _palette(prompt, seed)
    size = (width, height)
    vertical = Image.linear_gradient("L").resize(size, Image.Resampling.BILINEAR)
    horizontal = (
        Image.linear_gradient("L")
        .transpose(Image.Transpose.ROTATE_90)
        .resize(size, Image.Resampling.BILINEAR)
    )
    mask = ImageChops.add(vertical, horizontal, scale=2.0)
    if rng.random() < 0.5:
        mask = mask.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    if rng.random() < 0.5:
        mask = mask.transpose(Image.Transpose.FLIP_TOP_BOTTOM)
    picture = Image.composite(Image.new("RGB", size, bright), Image.new("RGB", size, dark), mask)

    # A soft glow: the radial gradient is 0 at its centre and 255 at its edge.
    glow_mask = (
        Image.radial_gradient("L")
        .resize((max(1, width // 2), max(1, height // 2)), Image.Resampling.BILINEAR)
        # 0 at the centre, 255 from the inscribed circle outwards (no visible box edge).
        .point(lambda v: 255 - max(0, 181 - v) * 255 // 181 * 2 // 3)
    )
    glow_box = (
        int(rng.uniform(0.1, 0.6) * width),
        int(rng.uniform(0.1, 0.6) * height),
    )
    region = picture.crop(
        (*glow_box, glow_box[0] + glow_mask.width, glow_box[1] + glow_mask.height)
    )
    region = Image.composite(region, Image.new("RGB", region.size, glow), glow_mask)
    picture.paste(region, glow_box)

    draw = ImageDraw.Draw(picture, "RGBA")
    scale = min(width, height)
    for _ in range(5):
        radius = rng.uniform(0.05, 0.25) * scale
        cx, cy = rng.uniform(0, width), rng.uniform(0, height)
        colour = (*(glow if rng.random() < 0.5 else bright), rng.randint(40, 90))
        draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=colour)
    return picture


def _draw_caption(picture: Image.Image, text: str, *, top: float = 0.5) -> None:
    """Draw ``text`` wrapped and centred on a translucent box, in place.

    ``top`` is the vertical centre of the block as a fraction of the height.
    """
    text = " ".join(text.split())
    if not text:
        return
    width, height = picture.size
    font_size = max(8, min(width, height) // 14)
    font = _font(font_size)
    line_height = int(_line_height(font) * 1.3)
    margin = max(2, width // 16)
    max_lines = max(1, int(height * 0.6) // line_height)
    lines = _wrap(text, font, width - 2 * margin, max_lines)
    block_height = line_height * len(lines)
    y = int(height * top - block_height / 2)
    widest = max(_text_width(font, line) for line in lines)
    pad = max(2, font_size // 3)
    draw = ImageDraw.Draw(picture, "RGBA")
    draw.rectangle(
        (
            (width - widest) / 2 - pad,
            y - pad,
            (width + widest) / 2 + pad,
            y + block_height + pad,
        ),
        fill=(0, 0, 0, 110),
    )
    for line in lines:
        draw.text(((width - _text_width(font, line)) / 2, y), line, font=font, fill="white")
        y += line_height


def render_image(*, width: int, height: int, fmt: str, prompt: str, seed: int = 0) -> bytes:
    """Render a deterministic picture of exactly ``width``x``height`` pixels.

    The picture is a seeded gradient (colours depend on ``prompt`` and ``seed``)
    with ``prompt`` wrapped on top. ``fmt`` is "png", "jpeg" (alias "jpg") or
    "webp". Returns the encoded file. Raises ValueError for an unknown format or
    a size outside 1..`MAX_DIMENSION` pixels.
    """
    _check_dimension("width", width)
    _check_dimension("height", height)
    fmt = fmt.lower().strip()
    fmt = "jpeg" if fmt == "jpg" else fmt
    if fmt not in IMAGE_FORMATS:
        raise ValueError(f"unsupported image format {fmt!r}; expected one of {IMAGE_FORMATS}")
    picture = _background(width, height, prompt, seed)
    _draw_caption(picture, prompt)
    out = io.BytesIO()
    if fmt == "png":
        picture.save(out, "PNG", compress_level=6)
    elif fmt == "jpeg":
        picture.save(out, "JPEG", quality=90)
    else:
        picture.save(out, "WEBP", quality=85, method=3)
    return out.getvalue()


# --------------------------------------------------------------------------
# Speech-like audio
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Burst:
    """One syllable-like tone: from ``start`` to ``end`` seconds at ``frequency`` Hz."""

    start: float
    end: float
    frequency: float


_WORD = re.compile(r"\w+")
_VOWELS = re.compile(r"[aeiouy]+")
_SYLLABLE = 0.2  # seconds per syllable when there is room
_MIN_SYLLABLE = 0.06  # seconds; below this words are dropped instead


def _syllables(word: str) -> int:
    """A rough syllable count (1-4): vowel groups once accents are stripped."""
    bare = "".join(
        char
        for char in unicodedata.normalize("NFD", word.lower())
        if not unicodedata.combining(char)
    )
    groups = len(_VOWELS.findall(bare))
    return max(1, min(4, groups or math.ceil(len(word) / 3)))


def _speech_plan(text: str, duration: float, seed: int) -> list[_Burst]:
    """Lay out one tone burst per syllable of each word of ``text`` over ``duration`` s.

    Short texts are repeated (with a pause) to fill the duration; long texts are
    sped up to `_MIN_SYLLABLE` seconds per syllable and then cut. Without words,
    seeded pseudo-words are used so the audio is never silent.
    """
    rng = random.Random(f"doitong-speech:{seed}:{text}")
    words = _WORD.findall(text)
    if not words:
        words = ["la" * rng.randint(1, 3) for _ in range(max(1, round(duration * 2)))]
    pitch = rng.uniform(120.0, 220.0)  # Hz, a speaking voice's fundamental
    units = [_syllables(word) for word in words]
    per_pass = sum(count + 1 for count in units) + 1  # one unit of gap per word, one per pass
    if per_pass * _SYLLABLE <= duration:
        passes = max(1, math.floor(duration / (per_pass * _SYLLABLE)))
        unit = duration / (passes * per_pass)
    else:
        passes = 1
        unit = max(_MIN_SYLLABLE, duration / per_pass)
    plan: list[_Burst] = []
    t = unit / 2
    for _ in range(passes):
        for word, count in zip(words, units, strict=True):
            base = zlib.crc32(word.lower().encode())
            for index in range(count):
                if t + unit * 0.8 > duration:
                    return plan or [_Burst(0.0, duration, pitch)]
                step = ((base >> (index * 3)) & 7) / 7  # 0..1, stable per word/syllable
                plan.append(_Burst(t, t + unit * 0.8, pitch * (0.85 + 0.5 * step)))
                t += unit
            t += unit
        t += unit
    return plan or [_Burst(0.0, duration, pitch)]


@lru_cache(maxsize=256)
def _cycle(period: int, amplitude: int) -> array[int]:
    """One period (``period`` samples) of a vowel-ish wave: a fundamental plus harmonics."""
    values = [
        math.sin(2 * math.pi * k / period)
        + 0.5 * math.sin(4 * math.pi * k / period)
        + 0.25 * math.sin(6 * math.pi * k / period)
        for k in range(period)
    ]
    peak = max(abs(v) for v in values) or 1.0
    return array("h", (round(v / peak * amplitude) for v in values))


def _synthesize(plan: Sequence[_Burst], duration: float, sample_rate: int) -> array[int]:
    """16-bit mono PCM of exactly round(``duration`` x ``sample_rate``) samples.

    Each burst repeats a precomputed single cycle (C-speed array repetition)
    with short linear fade-in/out ramps, so the cost is nearly independent of the
    duration.
    """
    total = max(1, round(duration * sample_rate))
    pcm = array("h", bytes(2 * total))
    amplitude = 19000  # about -5 dBFS
    for burst in plan:
        start = max(0, round(burst.start * sample_rate))
        end = min(total, round(burst.end * sample_rate))
        length = end - start
        if length <= 0:
            continue
        period = max(2, round(sample_rate / burst.frequency))
        cycle = _cycle(period, amplitude)
        tone = (cycle * (length // period + 1))[:length]
        ramp = min(length // 4, int(0.015 * sample_rate))
        for k in range(ramp):
            gain = k / ramp
            tone[k] = int(tone[k] * gain)
            tone[length - 1 - k] = int(tone[length - 1 - k] * gain)
        pcm[start:end] = tone
    return pcm


def _pcm_bytes(pcm: array[int]) -> bytes:
    """Little-endian bytes of 16-bit samples (as WAV wants), whatever the host byte order."""
    if sys.byteorder == "big":
        pcm = array("h", pcm)
        pcm.byteswap()
    return pcm.tobytes()


def _audio_frame(pcm: array[int], sample_rate: int, start: int, stop: int) -> av.AudioFrame:
    """A PyAV s16 mono frame holding samples ``start``..``stop`` (pts in 1/sample_rate s)."""
    frame = av.AudioFrame(format="s16", layout="mono", samples=stop - start)
    frame.planes[0].update(pcm[start:stop].tobytes())  # FFmpeg's s16 is native-endian
    frame.sample_rate = sample_rate
    frame.pts = start
    frame.time_base = Fraction(1, sample_rate)
    return frame


def _encode_audio(
    pcm: array[int], *, sample_rate: int, container_format: str, codec: str, bit_rate: int
) -> bytes:
    out = io.BytesIO()
    with av.open(out, "w", format=container_format) as container:
        stream: Any = container.add_stream(codec, rate=sample_rate)
        stream.layout = "mono"
        stream.bit_rate = bit_rate
        chunk = 8192
        for start in range(0, len(pcm), chunk):
            stop = min(len(pcm), start + chunk)
            container.mux(stream.encode(_audio_frame(pcm, sample_rate, start, stop)))
        container.mux(stream.encode(None))
    return out.getvalue()


def render_audio(
    *, duration: float, fmt: str, sample_rate: int = 24000, text: str = "", seed: int = 0
) -> bytes:
    """Render ``duration`` seconds of speech-like mono audio.

    One syllable-like tone burst (a fundamental of about 100-300 Hz plus
    harmonics) is played per syllable of each word of ``text``. ``fmt`` is
    "wav" (16-bit PCM at ``sample_rate`` Hz), "mp3" (libmp3lame at
    ``sample_rate`` Hz, one of `MP3_SAMPLE_RATES`) or "ogg" (Opus in Ogg; Opus
    always uses 48000 Hz, so ``sample_rate`` is ignored). Returns the encoded file.
    """
    duration = _check_duration(duration)
    fmt = fmt.lower().strip()
    if fmt not in AUDIO_FORMATS:
        raise ValueError(f"unsupported audio format {fmt!r}; expected one of {AUDIO_FORMATS}")
    if fmt == "ogg":
        sample_rate = OPUS_SAMPLE_RATE
    if isinstance(sample_rate, bool) or not isinstance(sample_rate, int):
        raise TypeError("sample_rate must be an int (Hz)")
    if not 8000 <= sample_rate <= 192000:
        raise ValueError("sample_rate must be between 8000 and 192000 Hz")
    if fmt == "mp3" and sample_rate not in MP3_SAMPLE_RATES:
        raise ValueError(f"mp3 sample_rate must be one of {sorted(MP3_SAMPLE_RATES)} Hz")

    pcm = _synthesize(_speech_plan(text, duration, seed), duration, sample_rate)
    if fmt == "wav":
        out = io.BytesIO()
        with wave.open(out, "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(sample_rate)
            wav.writeframes(_pcm_bytes(pcm))
        return out.getvalue()
    if fmt == "mp3":
        return _encode_audio(
            pcm,
            sample_rate=sample_rate,
            container_format="mp3",
            codec="libmp3lame",
            bit_rate=64000,
        )
    return _encode_audio(
        pcm, sample_rate=sample_rate, container_format="ogg", codec="libopus", bit_rate=48000
    )


# --------------------------------------------------------------------------
# Video
# --------------------------------------------------------------------------


class _ReadBack:
    """A read-only view of a BytesIO that is still being written.

    The MP4 muxer's ``+faststart`` pass re-opens its output by URL to move the
    index (moov) in front of the media data; PyAV hands that request to
    ``io_open``, which returns this view so the whole job stays in memory.
    """

    def __init__(self, buffer: io.BytesIO) -> None:
        self._buffer = buffer
        self._position = 0

    def read(self, size: int = -1) -> bytes:
        with self._buffer.getbuffer() as view:
            end = len(view) if size is None or size < 0 else min(len(view), self._position + size)
            data = bytes(view[self._position : end])
        self._position += len(data)
        return data

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence == io.SEEK_SET:
            self._position = offset
        elif whence == io.SEEK_CUR:
            self._position += offset
        else:
            with self._buffer.getbuffer() as view:
                self._position = len(view) + offset
        return self._position

    def tell(self) -> int:
        return self._position

    def close(self) -> None:
        """Nothing to release: the view does not own the buffer."""


def _hue(fraction: float) -> _Color:
    r, g, b = colorsys.hsv_to_rgb(fraction % 1.0, 0.9, 1.0)
    return (round(r * 255), round(g * 255), round(b * 255))


def _draw_face(picture: Image.Image) -> tuple[float, float, float]:
    """Draw a simple avatar head (without mouth) in place; return its centre and radius (px)."""
    width, height = picture.size
    radius = max(2.0, min(width, height) * 0.27)
    cx, cy = width / 2, height * 0.62
    draw = ImageDraw.Draw(picture, "RGBA")
    draw.ellipse(
        (cx - radius, cy - radius, cx + radius, cy + radius),
        fill=(240, 200, 165, 235),
        outline=(60, 40, 30),
        width=max(1, round(radius / 30)),
    )
    eye = max(1.0, radius * 0.1)
    for side in (-1, 1):
        ex, ey = cx + side * radius * 0.38, cy - radius * 0.2
        draw.ellipse((ex - eye, ey - eye, ex + eye, ey + eye), fill=(40, 30, 30))
    return cx, cy, radius


def _mouth_opening(plan: Sequence[_Burst], t: float) -> float:
    """0-1: how far an avatar's mouth is open at ``t`` seconds, following the bursts."""
    for burst in plan:
        if burst.start <= t < burst.end:
            middle = (burst.start + burst.end) / 2
            half = (burst.end - burst.start) / 2
            return max(0.2, 1.0 - abs(t - middle) / half)
    return 0.0


def render_video(
    *,
    width: int,
    height: int,
    duration: float,
    fps: int = 12,
    prompt: str = "",
    seed: int = 0,
    speech_text: str | None = None,
) -> bytes:
    """Render an H.264 MP4 of ``duration`` seconds at ``width``x``height`` pixels.

    Odd sizes are rounded down to even pixels (yuv420p needs even sizes). The
    video has round(``duration`` x ``fps``) frames, so its length is exact to
    half a frame (±0.5/``fps`` s). Frames move: the background hue cycles, a bar
    sweeps across, a progress bar fills and a counter shows frame and time. With
    ``speech_text`` an AAC mono track (48000 Hz) of the same duration is added,
    with one tone burst per syllable, and a "mouth" opens in time with it.
    The MP4 is written with ``+faststart`` (index first) so browsers can stream it.
    """
    _check_dimension("width", width, minimum=2)
    _check_dimension("height", height, minimum=2)
    duration = _check_duration(duration)
    if isinstance(fps, bool) or not isinstance(fps, int) or not MIN_FPS <= fps <= MAX_FPS:
        raise ValueError(f"fps must be an int between {MIN_FPS} and {MAX_FPS}")
    width -= width % 2
    height -= height % 2
    frame_count = max(1, round(duration * fps))
    size = (width, height)

    background = _background(width, height, prompt, seed)
    face = _draw_face(background) if speech_text is not None else None
    _draw_caption(background, prompt, top=0.2 if face else 0.4)
    counter_font = _font(max(8, min(width, height) // 12))
    bar_width = max(2, width // 12)
    progress_height = max(2, height // 30)
    # The counter sits bottom-left, just above the progress bar.
    counter_y = (
        height - progress_height - max(2, height // 40) - _line_height(counter_font) * 5 // 4
    )

    plan: list[_Burst] = []
    pcm = array("h")
    if speech_text is not None:
        plan = _speech_plan(speech_text, frame_count / fps, seed)
        pcm = _synthesize(plan, frame_count / fps, VIDEO_AUDIO_SAMPLE_RATE)

    out = io.BytesIO()
    container = av.open(
        out,
        "w",
        format="mp4",
        container_options={"movflags": "+faststart"},
        io_open=lambda url, flags, options: _ReadBack(out),
    )
    try:
        video: Any = container.add_stream("libx264", rate=fps)
        video.width = width
        video.height = height
        video.pix_fmt = "yuv420p"
        video.options = {"preset": "ultrafast", "crf": "23", "g": str(fps * 2)}
        audio: Any = None
        if speech_text is not None:
            audio = container.add_stream("aac", rate=VIDEO_AUDIO_SAMPLE_RATE)
            audio.layout = "mono"
            audio.bit_rate = 64000
            audio.options = {"aac_coder": "fast"}  # about twice as fast as "twoloop"

        audio_done = 0
        for index in range(frame_count):
            t = index / fps
            tint = Image.new("RGB", size, _hue(seed / 7 + t / 6))
            picture = Image.blend(background, tint, 0.3)
            draw = ImageDraw.Draw(picture, "RGBA")
            x = (index / max(1, frame_count - 1)) * (width + bar_width) - bar_width
            draw.rectangle((x, 0, x + bar_width, height), fill=(255, 255, 255, 120))
            draw.rectangle(
                (0, height - progress_height, (index + 1) / frame_count * width, height),
                fill=_hue(t / 6 + 0.5),
            )
            draw.text(
                (max(2, width // 40), counter_y),
                f"{index + 1}/{frame_count}  {t:05.2f}s",
                font=counter_font,
                fill="white",
                stroke_width=1 if isinstance(counter_font, ImageFont.FreeTypeFont) else 0,
                stroke_fill="black",
            )
            if face is not None:
                cx, cy, radius = face
                mouth_w = max(2.0, radius * 0.7)
                mouth_h = max(1.0, radius * (0.06 + 0.3 * _mouth_opening(plan, t)))
                mouth_y = cy + radius * 0.45
                draw.ellipse(
                    (
                        cx - mouth_w / 2,
                        mouth_y - mouth_h / 2,
                        cx + mouth_w / 2,
                        mouth_y + mouth_h / 2,
                    ),
                    fill=(110, 20, 35),
                    outline=(60, 10, 15),
                )
            frame = av.VideoFrame.from_image(picture)
            frame.pts = index
            frame.time_base = Fraction(1, fps)
            container.mux(video.encode(frame))

            if audio is not None:
                # Feed the audio up to the end of this frame so the muxer interleaves.
                target = min(len(pcm), round((index + 1) / fps * VIDEO_AUDIO_SAMPLE_RATE))
                if target > audio_done:
                    chunk = _audio_frame(pcm, VIDEO_AUDIO_SAMPLE_RATE, audio_done, target)
                    container.mux(audio.encode(chunk))
                    audio_done = target

        container.mux(video.encode(None))
        if audio is not None:
            container.mux(audio.encode(None))
    finally:
        container.close()
    return out.getvalue()
