"""Probing of media bytes: what a file is, its size and length, and whether it is whole.

Used for the sandbox's rendered files and for outputs downloaded from real
vendors before they are stored. `probe` identifies the container from its magic
bytes, checks the container structure for truncation, then decodes with Pillow
(pictures) or PyAV (video and audio) to be sure the content is usable.

Units: width and height in pixels, duration in seconds, fps in frames per
second, sample_rate in Hz, bytes in bytes.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass
from typing import Any

import av
from PIL import Image

__all__ = [
    "ALLOWED_CONTENT_TYPES",
    "CONTENT_TYPES",
    "MediaError",
    "MediaInfo",
    "extension_for",
    "probe",
]

#: Canonical MIME type per format name reported by `probe`.
CONTENT_TYPES: dict[str, str] = {
    "png": "image/png",
    "jpeg": "image/jpeg",
    "webp": "image/webp",
    "mp4": "video/mp4",
    "wav": "audio/wav",
    "mp3": "audio/mpeg",
    "ogg": "audio/ogg",
}

#: The MIME types Doitong stores (the canonical ones `probe` reports).
ALLOWED_CONTENT_TYPES: frozenset[str] = frozenset(CONTENT_TYPES.values())

_EXTENSIONS: dict[str, str] = {
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/jpg": "jpg",
    "image/pjpeg": "jpg",
    "image/webp": "webp",
    "video/mp4": "mp4",
    "audio/wav": "wav",
    "audio/x-wav": "wav",
    "audio/wave": "wav",
    "audio/vnd.wave": "wav",
    "audio/mpeg": "mp3",
    "audio/mp3": "mp3",
    "audio/ogg": "ogg",
    "audio/opus": "ogg",
}

_IMAGE_FORMATS = frozenset({"png", "jpeg", "webp"})
#: Substring of PyAV's demuxer name expected for each audio/video format.
_DEMUXERS = {"mp4": "mp4", "wav": "wav", "mp3": "mp3", "ogg": "ogg"}


class MediaError(ValueError):
    """The bytes are not a complete, decodable image, video or audio file we accept."""


@dataclass(frozen=True)
class MediaInfo:
    """What `probe` found out about a media file.

    ``width``/``height`` are pixels, ``duration`` seconds, ``fps`` frames per
    second, ``sample_rate`` Hz and ``bytes`` the file size. Fields that do not
    apply (e.g. duration of a picture) are None.
    """

    format: str
    content_type: str
    width: int | None
    height: int | None
    duration: float | None
    fps: float | None
    sample_rate: int | None
    video_codec: str | None
    audio_codec: str | None
    bytes: int

    @property
    def resolution(self) -> str | None:
        """ "WIDTHxHEIGHT" in pixels, or None without a picture."""
        if self.width is None or self.height is None:
            return None
        return f"{self.width}x{self.height}"

    def as_metadata(self) -> dict[str, Any]:
        """The output metadata stored with a generation (camelCase keys, no None values).

        Keys: width, height (pixels), duration (seconds, 3 decimals), format,
        resolution ("WxH"), fps (3 decimals), sampleRate (Hz), bytes.
        """
        metadata: dict[str, Any] = {
            "width": self.width,
            "height": self.height,
            "duration": None if self.duration is None else round(self.duration, 3),
            "format": self.format,
            "resolution": self.resolution,
            "fps": None if self.fps is None else round(self.fps, 3),
            "sampleRate": self.sample_rate,
            "bytes": self.bytes,
        }
        return {key: value for key, value in metadata.items() if value is not None}


def extension_for(content_type: str) -> str:
    """The file extension (without dot) for a MIME type, e.g. "image/jpeg" -> "jpg".

    Parameters such as "; codecs=opus" and letter case are ignored. Raises
    ValueError for a type Doitong does not store.
    """
    key = content_type.split(";", 1)[0].strip().lower()
    try:
        return _EXTENSIONS[key]
    except KeyError:
        raise ValueError(f"unsupported content type {content_type!r}") from None


# --------------------------------------------------------------------------
# Identification
# --------------------------------------------------------------------------


def _is_mp3_frame_header(data: bytes, pos: int) -> bool:
    return _mp3_frame_length(data, pos) is not None


def _sniff(data: bytes) -> str | None:
    """The format name from the file's magic bytes, or None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return "wav"
    if data.startswith(b"OggS"):
        return "ogg"
    if data[4:8] == b"ftyp":
        return "mp4"
    if data.startswith(b"ID3") or _is_mp3_frame_header(data, 0):
        return "mp3"
    return None


# --------------------------------------------------------------------------
# Structure checks (truncation)
# --------------------------------------------------------------------------


def _check_mp4_boxes(data: bytes) -> None:
    """Walk the top-level ISO-BMFF boxes; a box running past the end means truncation."""
    pos, seen = 0, set()
    while pos < len(data):
        if pos + 8 > len(data):
            raise MediaError("truncated MP4: incomplete box header")
        size, kind = struct.unpack_from(">I4s", data, pos)
        header = 8
        if size == 1:
            if pos + 16 > len(data):
                raise MediaError("truncated MP4: incomplete box header")
            (size,) = struct.unpack_from(">Q", data, pos + 8)
            header = 16
        elif size == 0:  # the last box runs to the end of the file
            size = len(data) - pos
        if size < header:
            raise MediaError("corrupt MP4: invalid box size")
        if pos + size > len(data):
            raise MediaError(f"truncated MP4: {kind.decode('latin-1')!r} box is incomplete")
        seen.add(kind)
        pos += size
    if b"moov" not in seen:
        raise MediaError("corrupt MP4: no moov box")


def _check_wav_chunks(data: bytes) -> None:
    """The RIFF size and each chunk must fit in the file (streaming placeholders allowed)."""
    placeholders = (0, 0xFFFFFFFF)
    (riff_size,) = struct.unpack_from("<I", data, 4)
    if riff_size not in placeholders and riff_size + 8 > len(data):
        raise MediaError("truncated WAV: RIFF size exceeds the file")
    pos = 12
    while pos + 8 <= len(data):
        chunk_id, size = struct.unpack_from("<4sI", data, pos)
        if chunk_id == b"data":
            if size not in placeholders and pos + 8 + size > len(data):
                raise MediaError("truncated WAV: data chunk exceeds the file")
            return
        pos += 8 + size + (size & 1)
    raise MediaError("corrupt WAV: no data chunk")


def _check_ogg_pages(data: bytes) -> None:
    """Walk the Ogg pages; the last one must be complete and end its stream (EOS)."""
    pos, header_type = 0, 0
    while pos < len(data):
        if data[pos : pos + 4] != b"OggS":
            raise MediaError("corrupt Ogg: page capture pattern missing")
        if pos + 27 > len(data):
            raise MediaError("truncated Ogg: incomplete page header")
        header_type, segments = data[pos + 5], data[pos + 26]
        table_end = pos + 27 + segments
        if table_end > len(data):
            raise MediaError("truncated Ogg: incomplete segment table")
        pos = table_end + sum(data[pos + 27 : table_end])
        if pos > len(data):
            raise MediaError("truncated Ogg: incomplete page")
    if not header_type & 0x04:
        raise MediaError("truncated Ogg: the last page does not end the stream")


_MP3_BITRATES = {  # kbps by (MPEG-1?, layer), index 1..14
    (True, 1): (32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448),
    (True, 2): (32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384),
    (True, 3): (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    (False, 1): (32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256),
    (False, 2): (8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
    (False, 3): (8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_MP3_SAMPLE_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


def _mp3_frame_length(data: bytes, pos: int) -> int | None:
    """Length in bytes of the MPEG audio frame at ``pos``, or None if no valid header."""
    if pos + 4 > len(data) or data[pos] != 0xFF or data[pos + 1] & 0xE0 != 0xE0:
        return None
    version = (data[pos + 1] >> 3) & 3  # 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5
    layer = 4 - ((data[pos + 1] >> 1) & 3)  # 1, 2 or 3 (4 is reserved)
    bitrate_index, rate_index = data[pos + 2] >> 4, (data[pos + 2] >> 2) & 3
    padding = (data[pos + 2] >> 1) & 1
    if version == 1 or layer == 4 or bitrate_index in (0, 15) or rate_index == 3:
        return None  # reserved values, or free format (length unknown)
    mpeg1 = version == 3
    bitrate = _MP3_BITRATES[(mpeg1, layer)][bitrate_index - 1] * 1000
    sample_rate = _MP3_SAMPLE_RATES[version][rate_index]
    if layer == 1:
        return (12 * bitrate // sample_rate + padding) * 4
    if layer == 3 and not mpeg1:
        return 72 * bitrate // sample_rate + padding
    return 144 * bitrate // sample_rate + padding


def _check_mp3_frames(data: bytes) -> None:
    """Walk the MPEG audio frames after any ID3v2 tag; the last one must be complete."""
    pos = 0
    if data.startswith(b"ID3") and len(data) >= 10:
        size = 0
        for byte in data[6:10]:  # a "syncsafe" integer: 7 bits per byte
            size = (size << 7) | (byte & 0x7F)
        pos = 10 + size + (10 if data[5] & 0x10 else 0)
        if pos > len(data):
            raise MediaError("truncated MP3: incomplete ID3 tag")
        limit = min(len(data), pos + 65536)  # tolerate padding before the first frame
        while pos < limit and not _is_mp3_frame_header(data, pos):
            pos += 1
        if pos >= limit:
            raise MediaError("corrupt MP3: no audio frame after the ID3 tag")
    while True:
        length = _mp3_frame_length(data, pos)
        if length is None:
            break  # end of the frames: trailing tags (ID3v1, APE) or end of file
        if pos + length > len(data):
            raise MediaError("truncated MP3: the last frame is incomplete")
        pos += length
    rest = data[pos:]
    if rest and len(rest) < 4 and rest[0] == 0xFF:
        raise MediaError("truncated MP3: incomplete frame header")


_STRUCTURE_CHECKS = {
    "mp4": _check_mp4_boxes,
    "wav": _check_wav_chunks,
    "ogg": _check_ogg_pages,
    "mp3": _check_mp3_frames,
}


# --------------------------------------------------------------------------
# Decoding
# --------------------------------------------------------------------------


def _probe_image(data: bytes, fmt: str) -> MediaInfo:
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()  # checksums and structure, without decoding pixels
        with Image.open(io.BytesIO(data)) as image:
            image.load()  # a full decode: catches truncated JPEG/WebP data
            pil_format = (image.format or "").lower()
            width, height = image.size
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError) as exc:
        raise MediaError(f"not a decodable {fmt.upper()} image: {exc}") from exc
    if pil_format != fmt:
        raise MediaError(f"expected a {fmt.upper()} image, Pillow read {pil_format!r}")
    return MediaInfo(
        format=fmt,
        content_type=CONTENT_TYPES[fmt],
        width=width,
        height=height,
        duration=None,
        fps=None,
        sample_rate=None,
        video_codec=None,
        audio_codec=None,
        bytes=len(data),
    )


def _probe_av(data: bytes, fmt: str) -> MediaInfo:
    _STRUCTURE_CHECKS[fmt](data)
    try:
        with av.open(io.BytesIO(data), "r") as container:
            return _inspect_container(container, data, fmt)
    except av.FFmpegError as exc:
        raise MediaError(f"not a decodable {fmt.upper()} file: {exc}") from exc


def _inspect_container(container: Any, data: bytes, fmt: str) -> MediaInfo:
    demuxer = container.format.name
    if _DEMUXERS[fmt] not in demuxer.split(","):
        raise MediaError(f"expected {fmt.upper()}, FFmpeg read {demuxer!r}")
    attached = av.stream.Disposition.attached_pic
    videos = [s for s in container.streams.video if not s.disposition & attached]
    video = videos[0] if videos and fmt == "mp4" else None
    audio = container.streams.audio[0] if container.streams.audio else None
    if fmt == "mp4" and video is None:
        raise MediaError("MP4 without a video stream (audio-only MP4 is not supported)")
    if fmt != "mp4" and audio is None:
        raise MediaError(f"{fmt.upper()} file without an audio stream")

    # Demux every packet (cheap, no decoding) to catch data missing from the end,
    # decode the first frames of video and all of an audio-only file.
    streams = [s for s in (video, audio) if s is not None]
    decoded = {s.index: 0 for s in streams}
    decode_all = video is None
    end = 0.0  # seconds: the latest packet end seen
    for packet in container.demux(streams):
        if packet.size == 0 and packet.pts is None:
            continue  # the demuxer's flush packet
        if packet.is_corrupt:
            raise MediaError(f"truncated or corrupt {fmt.upper()}: a packet is damaged")
        if packet.pts is not None and packet.time_base is not None:
            end = max(end, float((packet.pts + (packet.duration or 0)) * packet.time_base))
        if decode_all or decoded[packet.stream.index] == 0:
            decoded[packet.stream.index] += len(packet.decode())
    for stream in streams:
        if decoded[stream.index] == 0:
            decoded[stream.index] += len(stream.codec_context.decode(None))  # drain delays
        if decoded[stream.index] == 0:
            raise MediaError(f"no decodable {stream.type} frame in the {fmt.upper()} file")

    if container.duration is not None and container.duration > 0:
        duration: float | None = container.duration / av.time_base
    elif end > 0:
        duration = end
    else:
        duration = None
    if fmt == "mp3" and duration is not None and duration - end > max(0.5, 0.05 * duration):
        # The Xing/VBRI header announces more audio than the file holds.
        raise MediaError("truncated MP3: fewer frames than its header announces")

    fps = None
    if video is not None:
        rate = video.average_rate or video.guessed_rate
        fps = float(rate) if rate else None
    return MediaInfo(
        format=fmt,
        content_type=CONTENT_TYPES[fmt],
        width=video.codec_context.width if video is not None else None,
        height=video.codec_context.height if video is not None else None,
        duration=duration,
        fps=fps,
        sample_rate=audio.codec_context.sample_rate if audio is not None else None,
        video_codec=video.codec_context.codec.canonical_name if video is not None else None,
        audio_codec=audio.codec_context.codec.canonical_name if audio is not None else None,
        bytes=len(data),
    )


def probe(content: bytes) -> MediaInfo:
    """Identify and validate a media file; return its `MediaInfo`.

    Accepts PNG, JPEG and WebP pictures (decoded with Pillow), H.264/other MP4
    video, WAV, MP3 and Ogg audio (decoded with PyAV). Raises `MediaError` for
    empty, unrecognised, truncated or undecodable bytes.
    """
    if not isinstance(content, bytes | bytearray | memoryview):
        raise TypeError(f"probe() needs bytes, got {type(content).__name__}")
    data = bytes(content)
    if not data:
        raise MediaError("empty file")
    fmt = _sniff(data)
    if fmt is None:
        raise MediaError("not a recognised image, video or audio file")
    if fmt in _IMAGE_FORMATS:
        return _probe_image(data, fmt)
    return _probe_av(data, fmt)
