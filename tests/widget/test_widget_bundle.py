"""The built widget bundle: size budget, the /widget.js view, the demo page, collectstatic."""

from __future__ import annotations

import gzip
import json

import pytest
from django.core.management import call_command

from widget.bundle import (
    LEXICON_PATH,
    LOCAL_TEMPLATES,
    UI_TEMPLATES,
    build_bundle,
    current_bundle,
    local_lexicon,
)

# SPEC §8: hard ceiling 35 KB; the product budget, asserted exactly on the bytes /widget.js
# serves: ≤ 20 KB minified and ≤ 8 KB gzipped, local engine and word tables included.
HARD_CEILING = 35 * 1024
MAX_MINIFIED = 20 * 1024
MAX_GZIPPED = 8 * 1024


def test_built_widget_stays_within_its_size_guards(client):
    bundle = current_bundle()  # the bytes /widget.js serves
    assert len(bundle.raw) <= HARD_CEILING
    assert len(bundle.raw) <= MAX_MINIFIED, f"{len(bundle.raw)} bytes minified"
    served = client.get("/widget.js", HTTP_ACCEPT_ENCODING="gzip").content
    assert served == bundle.gzipped and gzip.decompress(served) == bundle.raw
    assert len(served) <= MAX_GZIPPED, f"{len(served)} bytes gzipped"


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    else:
        for v in value:
            yield from _strings(v)


def _without_derived(lexicon: dict) -> dict:
    """The lexicon minus what the widget derives: the code list (the allergen table's keys) and
    the English labels (the capitalised codes)."""
    lexicon = {k: v for k, v in lexicon.items() if k != "allergens"}
    lexicon["labels"] = {k: v for k, v in lexicon["labels"].items() if k != "en"}
    return lexicon


def test_bundle_inlines_every_word_table_of_the_engine_lexicon():
    lexicon = _without_derived(json.loads(LEXICON_PATH.read_text("utf-8")))
    raw = build_bundle().raw.decode()
    tables = {k: v for k, v in lexicon.items() if k not in ("t", "money")}
    missing = [s for s in _strings(tables) if s not in raw]
    assert missing == []


def test_inlined_lexicon_is_a_projection_of_the_one_source():
    lexicon = _without_derived(json.loads(LEXICON_PATH.read_text("utf-8")))
    local = local_lexicon()
    # Every word table unchanged; templates only dropped (for intents left to the server, and
    # other locales' replies: the local engine replies in English), never edited.
    assert {k: v for k, v in local.items() if k != "t"} == {
        k: v for k, v in lexicon.items() if k != "t"
    }
    for loc, templates in local["t"].items():
        assert sorted(templates) == sorted(LOCAL_TEMPLATES if loc == "en" else UI_TEMPLATES)
        assert templates.items() <= lexicon["t"][loc].items()


def test_widget_js_is_javascript_with_a_short_public_cache_and_etag(client):
    response = client.get("/widget.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "public" in response["Cache-Control"]
    max_age = int(response["Cache-Control"].split("max-age=")[1].split(",")[0])
    assert 0 < max_age <= 300
    assert response["ETag"].startswith('"')
    assert response.content == current_bundle().raw
    assert "Content-Encoding" not in response


def test_widget_js_answers_304_for_a_matching_etag(client):
    etag = client.get("/widget.js")["ETag"]
    response = client.get("/widget.js", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""


def test_widget_js_is_gzipped_when_the_client_accepts_it(client):
    response = client.get("/widget.js", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert gzip.decompress(response.content) == current_bundle().raw
    assert response["ETag"] != client.get("/widget.js")["ETag"]


def test_widget_js_is_not_gzipped_when_gzip_is_refused(client):
    response = client.get("/widget.js", HTTP_ACCEPT_ENCODING="gzip;q=0, identity")
    assert "Content-Encoding" not in response


def test_widget_js_head_has_headers_and_no_body(client):
    response = client.head("/widget.js")
    assert response.status_code == 200
    assert response["Content-Length"] == str(len(current_bundle().raw))
    assert response.content == b""


def test_widget_js_refuses_post(client):
    assert client.post("/widget.js").status_code == 405


def test_demo_page_embeds_the_widget_with_the_exact_snippet(client, settings):
    settings.WIDGET_DEMO_PAGE = True
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Trattoria Stjärna" in html
    assert (
        '<script src="http://testserver/widget.js" data-restaurant-id="demo" async></script>'
        in html
    )


def test_demo_page_is_absent_when_switched_off(client, settings):
    settings.WIDGET_DEMO_PAGE = False
    assert client.get("/").status_code == 404


@pytest.mark.django_db
def test_collectstatic_makes_a_hashed_immutable_copy_of_the_widget(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.WIDGET_BUILD_DIR = tmp_path / "build"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--noinput", verbosity=0)
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())
    hashed = manifest["paths"]["widget.js"]
    assert hashed != "widget.js" and hashed.startswith("widget.")
    assert (tmp_path / "static" / hashed).read_bytes() == current_bundle().raw
    assert (tmp_path / "static" / f"{hashed}.gz").is_file()


def test_the_parts_the_widget_derives_really_are_derivable():
    """If lexicon.json ever breaks the derivation, the build refuses instead of shipping drift."""
    lexicon = json.loads(LEXICON_PATH.read_text("utf-8"))
    codes = lexicon["allergens"].split()
    assert list(lexicon["allergen"]) == codes
    assert lexicon["labels"]["en"].split("|") == [
        c[0].upper() + c[1:] for c in codes + lexicon["diets"].split()
    ]
