"""Serving a stored video: byte ranges (so a <video> can seek) and no whole file in memory.

Django's FileResponse reads the file with a synchronous iterator, which
under ASGI (daphne) Django first reads entirely into memory, with a
warning. Here the chunks are read off the event loop one at a time under
ASGI, and by a plain iterator under WSGI (and the test client).
"""

import asyncio
import re
from collections.abc import AsyncIterator, Iterator

from django.core.files.storage import default_storage
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

CHUNK_BYTES = 256 * 1024
RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def parse_range(header: str | None, size: int) -> tuple[int, int] | None | bool:
    """(first, last) byte of a single satisfiable range; None without one; False if unsatisfiable.

    Multiple ranges are answered with the whole file, which RFC 9110 allows.
    """
    if not header:
        return None
    match = RANGE.match(header.strip())
    if match is None:
        return None
    first, last = match.groups()
    if first == "" and last == "":
        return None
    if first == "":  # the last N bytes
        length = int(last)
        if length == 0:
            return False
        return max(0, size - length), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or start > end:
        return False
    return start, end


def stored_file_response(
    request: HttpRequest, name: str, *, filename: str, content_type: str, as_attachment: bool
) -> HttpResponse:
    """The stored file `name`, or the byte range the request asks for (206)."""
    size = default_storage.size(name)
    wanted = parse_range(request.headers.get("Range"), size)
    if wanted is False:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    start, end = wanted or (0, size - 1)
    length = max(0, end - start + 1)
    read = read_async if isinstance(request, ASGIRequest) else read_sync
    content = read(name, start, length)
    response = StreamingHttpResponse(
        content, content_type=content_type, status=206 if wanted else 200
    )
    response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    if wanted:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Content-Disposition"] = content_disposition_header(as_attachment, filename)
    response["Cache-Control"] = "private, no-store"
    return response


def read_sync(name: str, start: int, length: int) -> Iterator[bytes]:
    # Opened on the first read, so a response never sent leaves no file open.
    with default_storage.open(name, "rb") as handle:
        handle.seek(start)
        while length > 0:
            chunk = handle.read(min(CHUNK_BYTES, length))
            if not chunk:
                return
            length -= len(chunk)
            yield chunk


async def read_async(name: str, start: int, length: int) -> AsyncIterator[bytes]:
    handle = await asyncio.to_thread(default_storage.open, name, "rb")
    try:
        await asyncio.to_thread(handle.seek, start)
        while length > 0:
            chunk = await asyncio.to_thread(handle.read, min(CHUNK_BYTES, length))
            if not chunk:
                return
            length -= len(chunk)
            yield chunk
    finally:
        await asyncio.to_thread(handle.close)
