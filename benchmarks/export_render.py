"""Measure the MP4 export's render + encode speed and memory.

Builds a project snapshot of the eight templates (30 s, 1280x720, 30 fps by
default: 900 frames), renders it with exports.render.render_video once per
browser count, and prints a table: frames, seconds, frames per second, the
peak memory of this process and of its children (Chromium's processes and
ffmpeg, summed by PSS from /proc every 0.1 s), the cores they kept busy, and
the CPU time spent per frame (little skewed by other work, unlike the frames
per second) and the machine's load average before each run.

Usage: .venv/bin/python benchmarks/export_render.py [--seconds 30] [--size 1280x720]
           [--fps 30] [--browsers 1,2] [--keep DIR]
Needs Debian's chromium and ffmpeg (scripts/ensure-chromium, scripts/ensure-ffmpeg).
"""

import argparse
import os
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASE = {"background": "#0f172a", "color": "#ffffff", "accent": "#f97316", "font": "sans"}
# One scene per template, the texts a person would type.
SAMPLES = [
    ("title", {"title": "Launch Day", "subtitle": "Everything you need, nothing you don't"}),
    ("bullets", {"title": "Why switch", "items": ["Speed", "Privacy", "Price"]}),
    ("quote", {"title": "Simplicity is the ultimate sophistication.", "subtitle": "Da Vinci"}),
    ("counter", {"title": "1,000,000", "subtitle": "videos made this year"}),
    ("lower_third", {"title": "Maya Okafor", "subtitle": "Head of Product, Northwind"}),
    (
        "split",
        {
            "title": "Before",
            "subtitle": "After",
            "items": ["Hours of editing", "Minutes of chatting", "Expensive tools", "Free"],
        },
    ),
    ("reveal", {"title": "Launch Day", "subtitle": "Made by chatting"}),
    ("cta", {"title": "Start your first video", "subtitle": "chatvideo.app/start"}),
]


def snapshot(total_frames: int, fps: int) -> list:
    from exports.render import SceneSnapshot
    from scenes.render import render_scene_code

    share, extra = divmod(total_frames, len(SAMPLES))
    scenes = []
    for order, (template, props) in enumerate(SAMPLES, start=1):
        frames = share + (1 if order <= extra else 0)
        code = render_scene_code({**BASE, **props, "template": template}, frames, fps)
        scenes.append(SceneSnapshot(order, f"{template} {props['title']}", frames, code))
    return scenes


def descendants(root: int) -> set[int]:
    parents = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                # The command may hold spaces and parentheses; ppid follows the last ")".
                parents[int(entry)] = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
    found, frontier = set(), {root}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def pss_kb(pid: int) -> int:
    """Proportional set size: shared pages split between the processes sharing them."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_ticks(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime
    except (OSError, IndexError, ValueError):
        return 0


class Sampler:
    """Every 0.1 s: the children's summed PSS (peak kept) and each child's CPU time."""

    def __init__(self) -> None:
        self.peak_kb = 0
        self.ticks: dict[int, int] = {}
        self.own_cpu = sum(os.times()[:2])
        self.running = True
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _sample(self) -> None:
        while self.running:
            pids = descendants(os.getpid())
            self.peak_kb = max(self.peak_kb, sum(pss_kb(pid) for pid in pids))
            for pid in pids:
                self.ticks[pid] = max(self.ticks.get(pid, 0), cpu_ticks(pid))
            time.sleep(0.1)

    def stop(self) -> tuple[int, float]:
        """Peak PSS of the children in kB, CPU seconds of this process and its children."""
        self.running = False
        self.thread.join()
        own = sum(os.times()[:2]) - self.own_cpu
        return self.peak_kb, own + sum(self.ticks.values()) / os.sysconf("SC_CLK_TCK")


def load_average() -> float:
    return os.getloadavg()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--size", default="1280x720")
    parser.add_argument("--fps", type=int, default=30)
    parser.add_argument("--browsers", default="1,2", help="browser counts to try, e.g. 1,2")
    parser.add_argument("--keep", default="", help="directory to keep the MP4s in")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chatvideo.settings")
    import django

    django.setup()
    from exports.render import render_video

    width, height = (int(n) for n in args.size.lower().split("x"))
    total = round(args.seconds * args.fps)
    scenes = snapshot(total, args.fps)
    out_dir = Path(args.keep or tempfile.mkdtemp(prefix="export-bench-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    print(
        f"{len(scenes)} scenes, {total} frames, {width}x{height} at {args.fps} fps,"
        f" {os.cpu_count()} cores"
    )
    rows = []
    for count in [int(n) for n in args.browsers.split(",")]:
        out = out_dir / f"bench-{count}.mp4"
        load = load_average()
        sampler = Sampler()
        started = time.monotonic()
        info = render_video(scenes, out, width=width, height=height, fps=args.fps, workers=count)
        seconds = time.monotonic() - started
        children, cpu = sampler.stop()
        rows.append((count, info.frames, seconds, info.size_bytes, children, cpu, load))
        if not args.keep:
            out.unlink()
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    biggest_child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024

    print()
    print(
        "| browsers | frames | seconds | fps | MP4 | peak PSS of children | cores used"
        " | CPU ms per frame | load before |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for count, frames, seconds, size, children, cpu, load in rows:
        # CPU per frame depends little on what else the machine runs; the
        # frames per second an idle machine would reach is about cores / it.
        print(
            f"| {count} | {frames} | {seconds:.1f} | {frames / seconds:.1f} |"
            f" {size / 1e6:.1f} MB | {children / 1024:.0f} MB | {cpu / seconds:.2f} |"
            f" {1000 * cpu / frames:.0f} | {load:.1f} |"
        )
    print()
    print(f"this process peak RSS: {own} MB; largest child process peak RSS: {biggest_child} MB")


if __name__ == "__main__":
    main()
