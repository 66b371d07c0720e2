"""A staticfiles finder that yields the built widget panel (``widget-panel.<hash>.js``).

collectstatic copies it like any other static file and whitenoise serves it; its name is its own
content hash, so whitenoise caches it forever (WHITENOISE_IMMUTABLE_FILE_TEST). The loader
(``/widget.js``) is served by a view, never as a static file.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

from widget.bundle import PANEL_NAME, current_widget, write_panel


def _build_dir() -> Path:
    return Path(settings.WIDGET_BUILD_DIR)


class WidgetBundleFinder(BaseFinder):
    """Finds exactly one file, the current panel, built from ``widget/src/panel`` on demand."""

    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False, **kwargs):
        find_all = find_all or kwargs.get("all", False)  # the pre-5.2 keyword
        if not PANEL_NAME.fullmatch(path) or path != current_widget().panel_name:
            return [] if find_all else None
        built = str(write_panel(_build_dir()))
        return [built] if find_all else built

    def list(self, ignore_patterns):
        yield write_panel(_build_dir()).name, FileSystemStorage(location=_build_dir())
