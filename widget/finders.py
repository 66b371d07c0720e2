"""A staticfiles finder that yields the built ``widget.js``.

collectstatic copies it like any other static file, so ``CompressedManifestStaticFilesStorage``
makes the hashed, immutable copy (``/static/widget.<hash>.js``) and whitenoise compresses it.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

from widget.bundle import BUNDLE_NAME, write_bundle


def _build_dir() -> Path:
    return Path(settings.WIDGET_BUILD_DIR)


class WidgetBundleFinder(BaseFinder):
    """Finds exactly one file, ``widget.js``, built from ``widget/src`` on demand."""

    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False, **kwargs):
        find_all = find_all or kwargs.get("all", False)  # the pre-5.2 keyword
        if path != BUNDLE_NAME:
            return [] if find_all else None
        built = str(write_bundle(_build_dir()))
        return [built] if find_all else built

    def list(self, ignore_patterns):
        write_bundle(_build_dir())
        yield BUNDLE_NAME, FileSystemStorage(location=_build_dir())
