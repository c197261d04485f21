"""Sandbox media rendering and media probing.

Every rendered file is decoded independently with PyAV, Pillow or the stdlib
`wave` module, not only with our own `probe`. Plain tests: no database.
"""

from __future__ import annotations

import io
import math
import struct
import wave
from array import array
from dataclasses import dataclass
from functools import cache

import av
import pytest
from PIL import Image, ImageChops, ImageStat

from providers.media import (
    ALLOWED_CONTENT_TYPES,
    MediaError,
    MediaInfo,
    extension_for,
    probe,
)
from providers.sandbox.media import render_audio, render_image, render_video

PROMPT = "A red fox running through a snowy forest at dawn, cinematic lighting"
SPEECH = "Hello and welcome to Doitong, this avatar speaks in the sandbox"
TOLERANCE = 0.1  # seconds

# --------------------------------------------------------------------------
# Independent decoding helpers
# --------------------------------------------------------------------------


@cache
def video(duration: float, width: int = 320, height: int = 180, speech: bool = False) -> bytes:
    return render_video(
        width=width,
        height=height,
        duration=duration,
        prompt=PROMPT,
        seed=7,
        speech_text=SPEECH if speech else None,
    )


@cache
def audio(fmt: str, duration: float) -> bytes:
    return render_audio(duration=duration, fmt=fmt, text=SPEECH, seed=3)


@dataclass
class DecodedVideo:
    container_duration: float
    codec: str
    width: int
    height: int
    pix_fmt: str
    frames: list[Image.Image]
    audio_codecs: list[str]


def decode_video(data: bytes) -> DecodedVideo:
    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.video[0]
        frames = []
        pix_fmts = set()
        for frame in container.decode(stream):
            pix_fmts.add(frame.format.name)
            frames.append(frame.to_image())
        assert len(pix_fmts) == 1
        return DecodedVideo(
            container_duration=container.duration / av.time_base,
            codec=stream.codec_context.name,
            width=stream.codec_context.width,
            height=stream.codec_context.height,
            pix_fmt=pix_fmts.pop(),
            frames=frames,
            audio_codecs=[s.codec_context.name for s in container.streams.audio],
        )


@dataclass
class DecodedAudio:
    container_duration: float
    codec: str
    sample_rate: int
    samples: array[int]  # 16-bit mono

    @property
    def decoded_duration(self) -> float:
        return len(self.samples) / self.sample_rate

    @property
    def rms(self) -> float:
        return math.sqrt(sum(s * s for s in self.samples) / max(1, len(self.samples)))


def decode_audio(data: bytes) -> DecodedAudio:
    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.audio[0]
        rate = stream.codec_context.sample_rate
        resampler = av.AudioResampler(format="s16", layout="mono", rate=rate)
        samples: array[int] = array("h")

        def take(frames: list[av.AudioFrame]) -> None:
            for out in frames:
                samples.extend(array("h", bytes(out.planes[0]))[: out.samples])

        for frame in container.decode(stream):
            take(resampler.resample(frame))
        take(resampler.resample(None))
        return DecodedAudio(
            container_duration=container.duration / av.time_base,
            codec=stream.codec_context.codec.canonical_name,
            sample_rate=rate,
            samples=samples,
        )


def top_level_boxes(data: bytes) -> list[bytes]:
    boxes, pos = [], 0
    while pos + 8 <= len(data):
        size, kind = struct.unpack_from(">I4s", data, pos)
        if size == 1:
            (size,) = struct.unpack_from(">Q", data, pos + 8)
        boxes.append(kind)
        if size == 0:
            break
        pos += size
    return boxes


def mean_difference(a: Image.Image, b: Image.Image) -> float:
    return sum(ImageStat.Stat(ImageChops.difference(a, b)).mean) / 3


# --------------------------------------------------------------------------
# Images
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "pil_format"), [("png", "PNG"), ("jpeg", "JPEG"), ("webp", "WEBP")]
)
@pytest.mark.parametrize(("width", "height"), [(1024, 1024), (1280, 720), (720, 1280), (33, 17)])
def test_it_renders_an_image_of_the_requested_format_and_size(
    fmt: str, pil_format: str, width: int, height: int
) -> None:
    data = render_image(width=width, height=height, fmt=fmt, prompt=PROMPT)

    with Image.open(io.BytesIO(data)) as image:
        image.load()
        assert image.format == pil_format
        assert image.size == (width, height)
        assert image.mode == "RGB"


def test_it_renders_a_2048_pixel_square_image() -> None:
    data = render_image(width=2048, height=2048, fmt="png", prompt=PROMPT)

    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (2048, 2048)


def test_it_draws_a_picture_not_a_flat_colour() -> None:
    data = render_image(width=512, height=512, fmt="png", prompt=PROMPT)

    with Image.open(io.BytesIO(data)) as image:
        assert len(image.getcolors(maxcolors=1_000_000) or []) > 100


def test_the_same_prompt_and_seed_render_the_same_image() -> None:
    first = render_image(width=256, height=256, fmt="png", prompt=PROMPT, seed=1)
    again = render_image(width=256, height=256, fmt="png", prompt=PROMPT, seed=1)
    other = render_image(width=256, height=256, fmt="png", prompt=PROMPT, seed=2)

    assert first == again
    assert first != other


def test_it_accepts_jpg_as_an_alias_for_jpeg() -> None:
    data = render_image(width=64, height=64, fmt="jpg", prompt="x")

    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"


def test_it_renders_an_image_with_an_empty_or_very_long_prompt() -> None:
    for prompt in ("", "word " * 2000, "x" * 5000):
        data = render_image(width=200, height=100, fmt="png", prompt=prompt)
        with Image.open(io.BytesIO(data)) as image:
            assert image.size == (200, 100)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"width": 64, "height": 64, "fmt": "gif"},
        {"width": 0, "height": 64, "fmt": "png"},
        {"width": 64, "height": 100_000, "fmt": "png"},
    ],
)
def test_it_refuses_an_unknown_image_format_or_size(kwargs: dict) -> None:
    with pytest.raises(ValueError):
        render_image(prompt="x", **kwargs)


# --------------------------------------------------------------------------
# Video
# --------------------------------------------------------------------------


@pytest.mark.parametrize("duration", [4.0, 5.0, 10.0])
def test_it_renders_an_h264_mp4_of_the_requested_duration(duration: float) -> None:
    decoded = decode_video(video(duration))

    assert decoded.codec == "h264"
    assert (decoded.width, decoded.height) == (320, 180)
    assert decoded.pix_fmt == "yuv420p"
    assert abs(decoded.container_duration - duration) <= TOLERANCE
    assert len(decoded.frames) == round(duration * 12)
    assert all(frame.size == (320, 180) for frame in decoded.frames)


def test_it_renders_an_hd_video_at_the_requested_size() -> None:
    decoded = decode_video(video(1.0, width=1280, height=720))

    assert (decoded.width, decoded.height) == (1280, 720)
    assert abs(decoded.container_duration - 1.0) <= TOLERANCE


def test_the_video_frames_visibly_change_over_time() -> None:
    frames = decode_video(video(5.0)).frames

    first, middle, last = frames[0], frames[len(frames) // 2], frames[-1]
    assert mean_difference(first, middle) > 5
    assert mean_difference(middle, last) > 5
    assert mean_difference(frames[10], frames[11]) > 0  # consecutive frames differ too


def test_the_mp4_index_comes_before_the_media_data_for_streaming() -> None:
    boxes = top_level_boxes(video(5.0))

    assert boxes[0] == b"ftyp"
    assert boxes.index(b"moov") < boxes.index(b"mdat")


def test_it_rounds_odd_video_sizes_down_to_even_pixels() -> None:
    decoded = decode_video(render_video(width=321, height=181, duration=1.0))

    assert (decoded.width, decoded.height) == (320, 180)


def test_a_video_without_speech_has_no_audio_track() -> None:
    assert decode_video(video(4.0)).audio_codecs == []


def test_an_avatar_video_has_an_aac_track_as_long_as_the_video() -> None:
    data = video(10.0, speech=True)

    decoded = decode_video(data)
    assert decoded.codec == "h264"
    assert decoded.audio_codecs == ["aac"]
    assert abs(decoded.container_duration - 10.0) <= TOLERANCE
    sound = decode_audio(data)
    assert abs(sound.decoded_duration - 10.0) <= TOLERANCE
    assert sound.rms > 1000
    with av.open(io.BytesIO(data)) as container:
        track = container.streams.audio[0]
        assert abs(float(track.duration * track.time_base) - 10.0) <= TOLERANCE


def mouth_pixels(frame: Image.Image) -> int:
    """Dark-red (mouth-coloured) pixels in the lower middle of a 320x180 avatar frame."""
    pixels = frame.crop((120, 110, 200, 170)).convert("RGB").tobytes()
    return sum(
        1
        for r, g, b in zip(pixels[0::3], pixels[1::3], pixels[2::3], strict=True)
        if r < 170 and g < 90 and b < 100 and r > g + 40
    )


def test_an_avatar_video_shows_the_mouth_opening_and_closing() -> None:
    counts = [mouth_pixels(frame) for frame in decode_video(video(10.0, speech=True)).frames]

    assert max(counts) > 4 * min(counts)
    assert min(counts) > 0  # a closed mouth is still drawn


@pytest.mark.parametrize(
    "kwargs",
    [
        {"width": 320, "height": 180, "duration": 0},
        {"width": 320, "height": 180, "duration": -1},
        {"width": 320, "height": 180, "duration": float("nan")},
        {"width": 1, "height": 180, "duration": 1},
        {"width": 320, "height": 180, "duration": 1, "fps": 0},
    ],
)
def test_it_refuses_an_impossible_video_request(kwargs: dict) -> None:
    with pytest.raises(ValueError):
        render_video(**kwargs)


# --------------------------------------------------------------------------
# Audio
# --------------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "codec"), [("wav", "pcm_s16le"), ("mp3", "mp3"), ("ogg", "opus")])
@pytest.mark.parametrize("duration", [2.5, 10.0])
def test_it_renders_audible_audio_of_the_requested_duration(
    fmt: str, codec: str, duration: float
) -> None:
    decoded = decode_audio(audio(fmt, duration))

    assert decoded.codec == codec
    assert abs(decoded.container_duration - duration) <= TOLERANCE
    assert abs(decoded.decoded_duration - duration) <= TOLERANCE
    assert decoded.rms > 1000
    assert max(abs(s) for s in decoded.samples) > 8000


def test_a_wav_is_16_bit_mono_pcm_at_the_requested_sample_rate() -> None:
    data = render_audio(duration=3.0, fmt="wav", sample_rate=16000, text="one two three")

    with wave.open(io.BytesIO(data)) as wav:
        assert wav.getnchannels() == 1
        assert wav.getsampwidth() == 2
        assert wav.getframerate() == 16000
        assert wav.getnframes() == 48000
        samples = array("h", wav.readframes(wav.getnframes()))
    assert max(abs(s) for s in samples) > 8000


def test_an_ogg_file_is_opus_at_48000_hz() -> None:
    decoded = decode_audio(render_audio(duration=2.0, fmt="ogg", sample_rate=24000))

    assert decoded.codec == "opus"
    assert decoded.sample_rate == 48000


def test_audio_without_text_is_still_audible() -> None:
    decoded = decode_audio(render_audio(duration=3.0, fmt="wav", text=""))

    assert decoded.rms > 1000


def test_speech_audio_pauses_between_words() -> None:
    decoded = decode_audio(render_audio(duration=4.0, fmt="wav", text="one two three four"))

    window = decoded.sample_rate // 50  # 20 ms
    levels = [
        max(abs(s) for s in decoded.samples[start : start + window])
        for start in range(0, len(decoded.samples) - window, window)
    ]
    assert min(levels) < 100  # silence between words
    assert max(levels) > 8000  # and loud syllables


def test_a_very_long_text_still_fits_the_requested_duration() -> None:
    decoded = decode_audio(render_audio(duration=1.0, fmt="wav", text="word " * 500))

    assert abs(decoded.decoded_duration - 1.0) <= TOLERANCE
    assert decoded.rms > 1000


@pytest.mark.parametrize(
    "kwargs",
    [
        {"duration": 1.0, "fmt": "flac"},
        {"duration": 0.0, "fmt": "wav"},
        {"duration": 1.0, "fmt": "mp3", "sample_rate": 23000},
    ],
)
def test_it_refuses_an_unknown_audio_format_or_rate(kwargs: dict) -> None:
    with pytest.raises(ValueError):
        render_audio(**kwargs)


# --------------------------------------------------------------------------
# Probing
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("png", "image/png"),
        ("jpeg", "image/jpeg"),
        ("webp", "image/webp"),
    ],
)
def test_probe_describes_an_image(fmt: str, content_type: str) -> None:
    data = render_image(width=640, height=360, fmt=fmt, prompt=PROMPT)

    info = probe(data)

    assert info == MediaInfo(
        format=fmt,
        content_type=content_type,
        width=640,
        height=360,
        duration=None,
        fps=None,
        sample_rate=None,
        video_codec=None,
        audio_codec=None,
        bytes=len(data),
    )
    assert info.as_metadata() == {
        "width": 640,
        "height": 360,
        "format": fmt,
        "resolution": "640x360",
        "bytes": len(data),
    }


def test_probe_describes_an_avatar_video() -> None:
    data = video(10.0, speech=True)

    info = probe(data)

    assert info.format == "mp4"
    assert info.content_type == "video/mp4"
    assert (info.width, info.height) == (320, 180)
    assert info.duration is not None
    assert abs(info.duration - 10.0) <= TOLERANCE
    assert info.fps == 12.0
    assert info.video_codec == "h264"
    assert info.audio_codec == "aac"
    assert info.sample_rate == 48000
    metadata = info.as_metadata()
    assert metadata["resolution"] == "320x180"
    assert metadata["sampleRate"] == 48000
    assert metadata["duration"] == round(info.duration, 3)
    assert set(metadata) == {
        "width",
        "height",
        "duration",
        "format",
        "resolution",
        "fps",
        "sampleRate",
        "bytes",
    }


@pytest.mark.parametrize(
    ("fmt", "content_type", "codec"),
    [
        ("wav", "audio/wav", "pcm_s16le"),
        ("mp3", "audio/mpeg", "mp3"),
        ("ogg", "audio/ogg", "opus"),
    ],
)
def test_probe_describes_audio(fmt: str, content_type: str, codec: str) -> None:
    data = audio(fmt, 10.0)

    info = probe(data)

    assert (info.format, info.content_type, info.audio_codec) == (fmt, content_type, codec)
    assert info.duration is not None
    assert abs(info.duration - 10.0) <= TOLERANCE
    assert info.width is info.height is info.fps is info.video_codec is None
    assert info.bytes == len(data)
    assert "resolution" not in info.as_metadata()
    assert info.content_type in ALLOWED_CONTENT_TYPES


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"this is not media at all" * 40,
        bytes(range(256)) * 8,
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 100,
        b"RIFF\x24\x00\x00\x00WAVEjunk",
        b"\x00\x00\x00\x18ftypisom" + b"\x00" * 100,
        b"OggS" + b"\x00" * 100,
        b"ID3\x04\x00\x00\x00\x00\x00\x00",
    ],
)
def test_probe_rejects_garbage(content: bytes) -> None:
    with pytest.raises(MediaError):
        probe(content)


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.9, 0.999])
def test_probe_rejects_a_truncated_mp4(fraction: float) -> None:
    data = video(5.0)

    with pytest.raises(MediaError):
        probe(data[: int(len(data) * fraction)])


def test_probe_rejects_an_mp4_whose_media_data_was_cut_at_the_index() -> None:
    data = video(4.0)
    # Keep ftyp and moov (the index) but no media data at all.
    pos = 0
    for kind in top_level_boxes(data):
        if kind == b"mdat":
            break
        (size,) = struct.unpack_from(">I", data, pos)
        pos += size

    with pytest.raises(MediaError):
        probe(data[:pos])


@pytest.mark.parametrize("fmt", ["wav", "mp3", "ogg"])
@pytest.mark.parametrize("fraction", [0.3, 0.99])
def test_probe_rejects_truncated_audio(fmt: str, fraction: float) -> None:
    data = audio(fmt, 10.0)

    with pytest.raises(MediaError):
        probe(data[: int(len(data) * fraction)])


@pytest.mark.parametrize("fmt", ["png", "jpeg", "webp"])
def test_probe_rejects_a_truncated_image(fmt: str) -> None:
    data = render_image(width=300, height=200, fmt=fmt, prompt=PROMPT)

    with pytest.raises(MediaError):
        probe(data[: len(data) * 9 // 10])


def test_a_media_error_is_a_value_error() -> None:
    assert issubclass(MediaError, ValueError)


@pytest.mark.parametrize(
    ("content_type", "extension"),
    [
        ("image/png", "png"),
        ("image/jpeg", "jpg"),
        ("image/webp", "webp"),
        ("video/mp4", "mp4"),
        ("audio/wav", "wav"),
        ("audio/x-wav", "wav"),
        ("audio/mpeg", "mp3"),
        ("audio/ogg", "ogg"),
        ("Audio/OGG; codecs=opus", "ogg"),
    ],
)
def test_it_maps_content_types_to_file_extensions(content_type: str, extension: str) -> None:
    assert extension_for(content_type) == extension


def test_every_allowed_content_type_has_an_extension() -> None:
    assert sorted(ALLOWED_CONTENT_TYPES) == [
        "audio/mpeg",
        "audio/ogg",
        "audio/wav",
        "image/jpeg",
        "image/png",
        "image/webp",
        "video/mp4",
    ]
    assert {extension_for(t) for t in ALLOWED_CONTENT_TYPES} == {
        "png",
        "jpg",
        "webp",
        "mp4",
        "wav",
        "mp3",
        "ogg",
    }


def test_it_refuses_an_unknown_content_type() -> None:
    with pytest.raises(ValueError):
        extension_for("application/pdf")
