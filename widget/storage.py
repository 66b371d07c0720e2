"""The static files storage: whitenoise's, with the widget panel gzipped by Zopfli.

whitenoise compresses every collected file with zlib level 9; for the panel (the file with a
16 KB gzipped budget, SPEC §8) it writes the Zopfli bytes instead: standard gzip that any browser
reads, a few per cent smaller, and exactly the bytes ``widget.bundle`` measures.
"""

from __future__ import annotations

import os

import zopfli.gzip
from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage

from widget.bundle import PANEL_NAME


class WidgetPanelCompressor(Compressor):
    """whitenoise's Compressor; the widget panel's ``.gz`` comes from Zopfli."""

    def compress(self, path: str) -> list[str]:
        if not PANEL_NAME.fullmatch(os.path.basename(path)):
            return super().compress(path)
        with open(path, "rb") as f:
            stat_result = os.fstat(f.fileno())
            data = f.read()
        written = []
        if self.use_brotli:
            written.append(self.write_data(path, self.compress_brotli(data), ".br", stat_result))
        if self.use_gzip:
            written.append(self.write_data(path, zopfli.gzip.compress(data), ".gz", stat_result))
        return written


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Hashed names, compressed copies (whitenoise); the widget panel gzipped with Zopfli."""

    def create_compressor(self, **kwargs) -> Compressor:
        return WidgetPanelCompressor(**kwargs)
