"""ffmpeg and ffprobe: encode a stream of JPEG frames to H.264 MP4, and check the result."""

import json
import shutil
import subprocess
from fractions import Fraction
from pathlib import Path

INSTALL_HINT = "install it with: apt-get install ffmpeg (or run ./scripts/ensure-ffmpeg)"
# x264's speed/size trade-off; veryfast keeps encoding off the critical path
# on two cores while the browser renders, crf 20 keeps text edges clean.
PRESET = "veryfast"
CRF = "20"


class ToolMissing(Exception):
    pass


class ProbeFailed(Exception):
    pass


def find_tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise ToolMissing(f"{name} is not installed; {INSTALL_HINT}")
    return path


def start_encoder(out_path: Path, fps: int) -> subprocess.Popen:
    """An ffmpeg reading JPEG images from stdin, one per frame, writing an MP4 to out_path."""
    command = [
        find_tool("ffmpeg"),
        "-hide_banner",
        "-loglevel",
        "error",
        "-y",
        "-f",
        "image2pipe",
        "-c:v",
        "mjpeg",
        "-framerate",
        str(fps),
        "-i",
        "-",
        "-c:v",
        "libx264",
        "-preset",
        PRESET,
        "-crf",
        CRF,
        "-pix_fmt",
        "yuv420p",
        "-r",
        str(fps),
        "-movflags",
        "+faststart",
        "-f",
        "mp4",
        str(out_path),
    ]
    return subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


def probe(path: Path) -> dict:
    """What ffprobe reads from the first video stream, counting every frame."""
    command = [
        find_tool("ffprobe"),
        "-v",
        "error",
        "-count_frames",
        "-select_streams",
        "v:0",
        "-show_entries",
        "stream=codec_name,width,height,r_frame_rate,nb_read_frames:format=duration,size",
        "-of",
        "json",
        str(path),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise ProbeFailed(done.stderr.strip() or f"ffprobe exited with {done.returncode}")
    data = json.loads(done.stdout)
    streams = data.get("streams") or []
    if not streams:
        raise ProbeFailed("the file has no video stream")
    stream, container = streams[0], data.get("format", {})
    return {
        "codec": stream.get("codec_name", ""),
        "width": int(stream.get("width", 0)),
        "height": int(stream.get("height", 0)),
        "fps": float(Fraction(stream.get("r_frame_rate", "0/1"))),
        "frames": int(stream.get("nb_read_frames", 0)),
        "duration_seconds": float(container.get("duration", 0)),
        "size_bytes": int(container.get("size", 0)),
    }
