"""Render every scene template with sample props and screenshot it.

    .venv/bin/python scripts/render_scene_samples.py [--only counter,cta] [--size 1920x1080]

For each template writes test-artifacts/scenes/<template>.html and two PNGs:
<template>-mid.png (a third of the way into the entrance) and <template>-end.png
(just after the entrance), plus contact-sheet.png with all of them; --docs
also writes docs/scenes/templates.png (every end frame, for the README).
Time is frozen the way the player seeks: every animation paused at the same
currentTime. Needs Debian's chromium at /usr/bin/chromium
(scripts/ensure-chromium).
"""

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "test-artifacts" / "scenes"
FPS = 30
DURATION_FRAMES = 150

BASE = {"accent": "#f97316", "background": "#0f172a", "color": "#ffffff", "font": "sans"}
SAMPLES = {
    "title": {"title": "Launch Day", "subtitle": "Everything you need, nothing you don't"},
    "lower_third": {"title": "Maya Okafor", "subtitle": "Head of Product, Northwind"},
    "bullets": {"title": "Why switch", "items": ["Speed", "Privacy", "Price"]},
    "quote": {
        "title": "Simplicity is the ultimate sophistication.",
        "subtitle": "Leonardo da Vinci",
    },
    "counter": {"title": "1,000,000", "subtitle": "videos made this year"},
    "reveal": {"title": "Launch Day", "subtitle": "Made by chatting"},
    "split": {
        "title": "Before",
        "subtitle": "After",
        "items": ["Hours of editing", "Minutes of chatting", "Expensive tools", "Free to start"],
    },
    "cta": {"title": "Start your first video", "subtitle": "chatvideo.app/start"},
}

# Stress cases: --set long (long text everywhere), --set empty (no text at all).
LONG = {
    "title": "The quarterly all-hands meeting recap for every team in the company",
    "subtitle": "A longer subtitle that keeps going to see how it wraps across the frame",
    "items": [
        "Ship the new onboarding flow before the end of the quarter",
        "Cut render times in half",
        "Hire two more designers for the motion team",
        "Open the beta to every customer on the waiting list",
        "Rewrite the export pipeline",
        "Publish the public roadmap",
        "Supercalifragilisticexpialidocious",
    ],
}
SETS = {
    "default": SAMPLES,
    "long": {
        key: {**LONG, **({"title": "$12,345,678.90"} if key == "counter" else {})}
        for key in SAMPLES
    },
    "empty": {key: {"title": "", "subtitle": "", "items": []} for key in SAMPLES},
}

FREEZE = "t => document.getAnimations().forEach(a => { a.pause(); a.currentTime = t; })"
# When the last entrance (in-* keyframes) ends, from the live animations.
ENTRANCE_END = """() => Math.max(0, ...document.getAnimations()
    .filter(a => (a.animationName || '').startsWith('in-'))
    .map(a => { const t = a.effect.getComputedTiming(); return t.delay + t.activeDuration; }))"""


def render_samples(only: set[str], extra: dict, samples: dict) -> dict[str, str]:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chatvideo.settings")
    import django

    django.setup()
    from scenes.render import TEMPLATE_LABELS, render_scene_code

    docs = {}
    for key in TEMPLATE_LABELS:
        if only and key not in only:
            continue
        props = {**BASE, **samples[key], **extra, "template": key}
        docs[key] = render_scene_code(props, DURATION_FRAMES, FPS)
    return docs


def screenshot(
    docs: dict[str, str],
    width: int,
    height: int,
    scale: float,
    prefix: str,
    at: list,
    docs_sheet: bool = False,
) -> None:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        page = browser.new_page(
            viewport={"width": width, "height": height}, device_scale_factor=scale
        )
        for key, html in docs.items():
            key = prefix + key
            (OUT / f"{key}.html").write_text(html)
            page.set_content(html)
            end = page.evaluate(ENTRANCE_END)
            times = at or [("mid", end * 0.35), ("end", end + 100)]
            for label, ms in times:
                page.evaluate(FREEZE, ms)
                page.screenshot(path=OUT / f"{key}-{label}.png")
            print(f"{key}: entrance ends at {end:.0f} ms -> {OUT}/{key}-{{mid,end}}.png")
        shots = [
            (f"{prefix}{key}-{label}.png", f"{key} {label}")
            for key in docs
            for label in ("mid", "end")
        ]
        contact_sheet(page, shots, OUT / f"{prefix}contact-sheet.png")
        if docs_sheet:
            shots = [(f"{prefix}{key}-end.png", key) for key in docs]
            contact_sheet(page, shots, ROOT / "docs" / "scenes" / "templates.png")
        browser.close()


def contact_sheet(page, shots: list[tuple[str, str]], path: Path) -> None:
    """Screenshots (file name in OUT, caption) side by side, four a row, in one PNG."""
    cells = "".join(
        f'<figure><img src="{name}"><figcaption>{caption}</figcaption></figure>'
        for name, caption in shots
    )
    sheet = OUT / f"{path.stem}.html"
    sheet.write_text(
        "<!doctype html><style>body{margin:0;background:#222;display:grid;"
        "grid-template-columns:repeat(4,480px);gap:6px;padding:6px;font:12px sans-serif;color:#ccc}"
        "figure{margin:0}img{width:480px;display:block}</style>" + cells
    )
    page.set_viewport_size({"width": 4 * 480 + 30, "height": 400})
    page.goto(sheet.as_uri())
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=path, full_page=True)
    print(f"contact sheet: {path}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="comma-separated template keys")
    parser.add_argument("--size", default="1920x1080", help="viewport, WIDTHxHEIGHT")
    parser.add_argument("--scale", type=float, default=0.5, help="device scale factor")
    parser.add_argument("--font", default="", help="font key to use instead of sans")
    parser.add_argument("--speed", type=float, default=0, help="speed instead of 1")
    parser.add_argument(
        "--docs", action="store_true", help="also write docs/scenes/templates.png (end frames)"
    )
    parser.add_argument("--at", default="", help="two times in ms instead of mid and end")
    parser.add_argument("--set", default="default", choices=SETS, help="which sample texts")
    parser.add_argument(
        "--colors", default="", help="background,color,accent e.g. #fff,#111,#2563eb"
    )
    args = parser.parse_args()
    extra = {}
    if args.font:
        extra["font"] = args.font
    if args.speed:
        extra["speed"] = args.speed
    if args.colors:
        extra.update(zip(("background", "color", "accent"), args.colors.split(","), strict=True))
    width, height = (int(n) for n in args.size.lower().split("x"))
    only = {key for key in args.only.split(",") if key}
    prefix = "" if args.set == "default" else f"{args.set}-"
    docs = render_samples(only, extra, SETS[args.set])
    at = list(zip(("mid", "end"), map(float, args.at.split(",")), strict=True)) if args.at else []
    screenshot(docs, width, height, args.scale, prefix, at, docs_sheet=args.docs)


if __name__ == "__main__":
    main()
