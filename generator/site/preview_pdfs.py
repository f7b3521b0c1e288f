"""The preview's PDFs: drawn after the pages, so a save shows its words at once and its PDFs a moment later.

Drawing a PDF takes about a second, a page a few milliseconds. A preview (`ctkit serve`) that drew every
changed PDF before showing the page would make an editor wait seconds for each phone number or sentence
that a form or the practitioner guidance repeats. So the preview's cache does not draw a PDF it lacks:
it hands the page a stand-in (a one-page PDF saying the real one is being drawn), and after the build a
forked process draws the ones the build waited for into the build cache. When they are in, the preview
builds again, finds them there, and the browser reloads with the real PDFs.

Only the preview works so; `ctkit build` always draws before it writes. Given no cache folder, there is
nowhere to draw to, so it draws at once, as a build does (`ctkit serve --no-cache` gives it a folder of its
own for the session instead).
"""
from __future__ import annotations

import dataclasses
import multiprocessing
import os
import threading
from collections.abc import Callable
from functools import lru_cache
from io import BytesIO

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from ..build_cache import BuildCache

#: What a stand-in says, on its page and as its title.
BEING_DRAWN = "This PDF is being drawn. The preview reloads with it in a moment."


@lru_cache(maxsize=1)
def stand_in_pdf() -> bytes:
    """A one-page PDF that says the real one is on its way (drawn once per process)."""
    out = BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=True)
    canvas.setTitle(BEING_DRAWN)
    canvas.setFont("Helvetica", 14)
    canvas.drawString(72, A4[1] - 96, BEING_DRAWN)
    canvas.save()
    return out.getvalue()


@dataclasses.dataclass
class LaterPdfs(BuildCache):
    """A build cache that draws what it lacks later, in another process, then calls `ready`."""

    ready: Callable[[], None] = lambda: None
    waiting: dict[str, tuple[str, Callable[[], bytes], str]] = dataclasses.field(default_factory=dict)
    drawing: multiprocessing.process.BaseProcess | None = None
    failed: bool = False   # the last drawing process failed: draw at once from now on, so its error is seen

    def bytes_for(self, kind: str, key: str, make: Callable[[], bytes], suffix: str = "") -> bytes:
        if self.folder is None or self.failed:
            return super().bytes_for(kind, key, make, suffix)
        found = self.get(kind, key, suffix)
        if found is not None:
            self.reused += 1
            return found
        self.waiting[key] = (kind, make, suffix)
        return stand_in_pdf()

    def new_build(self) -> None:
        """A build begins: it asks again for every PDF it needs, so what earlier builds waited for is forgotten."""
        self.waiting = {}

    @property
    def busy(self) -> bool:
        return self.drawing is not None and self.drawing.is_alive()

    def draw_waiting(self) -> int:
        """Start drawing, in a forked process, every PDF the builds so far waited for (unless a drawing process
        is still at work: the build after it asks again for any still missing). How many it started."""
        if not self.waiting or self.busy or "fork" not in multiprocessing.get_all_start_methods():
            return 0
        jobs, self.waiting = list(self.waiting.items()), {}
        self.drawing = multiprocessing.get_context("fork").Process(target=self._draw, args=(jobs,), daemon=True)
        self.drawing.start()
        threading.Thread(target=self._when_drawn, args=(self.drawing,), daemon=True).start()
        return len(jobs)

    def _draw(self, jobs: list[tuple[str, tuple[str, Callable[[], bytes], str]]]) -> None:
        """In the forked process: draw each PDF into the cache folder, then leave without running any of the
        parent's clean-up (its server and watcher threads do not exist here)."""
        status = 0
        try:
            for key, (kind, make, suffix) in jobs:
                self.put(kind, key, make(), suffix)
        except BaseException:  # noqa: BLE001 - the parent draws again at once and shows the error
            status = 1
        os._exit(status)

    def _when_drawn(self, process: multiprocessing.process.BaseProcess) -> None:
        process.join()
        self.failed = process.exitcode != 0
        self.ready()
