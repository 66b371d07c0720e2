"""The widget's two built files: budgets, the /widget.js view, the panel under /static/, the
demo page, collectstatic."""

from __future__ import annotations

import gzip
import json
import re

import pytest
from django.contrib.staticfiles.views import serve
from django.core.management import call_command

from widget.bundle import (
    EXT_TABLES,
    EXT_TEMPLATES,
    LEXICON_PATH,
    LOADER_BUDGET,
    LOCAL_TEMPLATES,
    PANEL_BUDGET,
    PANEL_NAME,
    _strip_marks,
    build_widget,
    current_widget,
    language_words_of,
    local_lexicon,
)

# SPEC §8: the seed's ceiling was 35 KB; ours: the loader every page view runs ≤ 4 KB gzipped, the
# panel (UI, local engine, word tables) ≤ 16 KB gzipped, asserted on the bytes actually served.
assert (LOADER_BUDGET, PANEL_BUDGET) == (4 * 1024, 16 * 1024)


def test_loader_served_at_widget_js_stays_within_4_kb_gzipped(client):
    loader = current_widget().loader
    served = client.get("/widget.js", HTTP_ACCEPT_ENCODING="gzip").content
    assert served == loader.gzipped and gzip.decompress(served) == loader.raw
    assert len(served) <= LOADER_BUDGET, f"{len(served)} bytes gzipped"


def test_panel_served_under_static_stays_within_16_kb_gzipped(rf):
    widget = current_widget()
    response = serve(rf.get("/static/" + widget.panel_name), widget.panel_name, insecure=True)
    served = b"".join(response.streaming_content)
    assert served == widget.panel.raw
    assert len(widget.panel.gzipped) <= PANEL_BUDGET, f"{len(widget.panel.gzipped)} bytes gzipped"


def test_loader_names_the_hashed_panel_it_loads(settings):
    widget = build_widget(static_url="/static/")
    assert PANEL_NAME.fullmatch(widget.panel_name)
    assert ("/static/" + widget.panel_name).encode() in widget.loader.raw
    assert (
        build_widget(static_url="https://cdn.example/s/").loader.raw.count(
            b"https://cdn.example/s/widget-panel."
        )
        == 1
    )


def test_loader_holds_no_engine_no_storage_and_no_api_call():
    raw = current_widget().loader.raw.decode()
    for absent in ("localStorage", "/api/", "fetch(", "answer"):
        assert absent not in raw


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, int):
        return
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


def test_panel_inlines_the_projection():
    raw = current_widget().panel.raw.decode()
    missing = [s for s in _strings(local_lexicon()) if s not in raw]
    assert missing == []


def _tables_as_the_panel_builds_them(local: dict) -> tuple[dict, dict]:
    """word -> (kind, payload) for single words and phrases, built from the projection the way
    10-lexicon.js builds UNIGRAMS and BIGRAMS (first entry wins; an allergen word collects
    codes)."""
    from chat.engine.lexicon import stem

    uni: dict = {}
    bi: dict = {}

    def key(word):
        return " ".join(stem(p) for p in _strip_marks(word).split("_"))

    def put(word, kind, payload):
        return (bi if "_" in word else uni).setdefault(key(word), [kind, payload])

    for code, spec in local["allergen"].items():
        for w in spec.split():
            put(w, "allergen", set())[1].add(code)
    for code, spec in local["always"].items():
        for w in spec.split():
            put(w, "always", {code})
    for diet, spec in local["diet"].items():
        for w in spec.split():
            put(w, "diet", diet)
    for kind, spec in [*local["kinds"].items(), *local["kinds_v2"].items()]:
        for w in spec.split():
            put(w, kind, None)
    for pos, spec in local["ordinals"].items():
        for w in spec.split():
            put(w, "ord", int(pos))
    for group in local["syn"]:
        head = key(group.split()[0])
        for w in group.split():
            put(w, "term", head)
    return uni, bi


def test_merged_word_tables_mean_exactly_what_lexicon_py_builds():
    """The panel ships v1 and v2 word tables merged once (no "ext"): every word has the kind and
    payload lexicon.py gives it, and the typo candidates keep lexicon.py's order (ties go to the
    earliest). Days and holidays are hours words there: the panel answers them with the opening
    hours as written, the server against the clock."""
    from chat.engine import lexicon as engine

    uni, bi = _tables_as_the_panel_builds_them(local_lexicon())
    for mine, theirs in ((uni, engine.UNIGRAMS), (bi, engine.BIGRAMS)):
        expected = {
            w: ["hours", None]
            if e.kind in (engine.DAY, engine.DATE)
            else [e.kind, set(e.payload) if isinstance(e.payload, frozenset) else e.payload]
            for w, e in theirs.items()
            if not (e.kind == "stop" and w in engine.SERVER_STOP)  # server-only filler
            and w not in engine.SERVER_SYN_WORDS  # and server-only section words
            and w not in engine.SERVER_KIND_WORDS  # and server-only question words
        }
        assert {w: [k, p] for w, (k, p) in mine.items()} == expected
    fuzzy = [w for w, (k, _) in uni.items() if len(w) >= 4 and k in engine.FUZZY_KINDS]
    assert fuzzy == [
        w
        for w in engine._FUZZY_WORDS
        if engine.UNIGRAMS[w].kind != engine.DAY and w not in engine.SERVER_SYN_WORDS
    ]


def test_inlined_lexicon_is_a_projection_of_the_one_source():
    lexicon = _without_derived(json.loads(LEXICON_PATH.read_text("utf-8")))
    local = local_lexicon()
    # The tables the panel does not merge are unchanged; templates only dropped (for intents left
    # to the server), never edited; the language words are ext.lang's.
    unmerged = ("conflict", "diets", "free", "always", "labels", "money")
    assert {k: local[k] for k in unmerged} == {k: lexicon[k] for k in unmerged}
    assert not set(local) - {
        *unmerged,
        "t",
        "lang",
        *EXT_TABLES,
        "kinds_v2",
        "statement",
        "only",
        "correction",
    }.union({"limits"})
    # The language and statement words: listed, or marked where a word table holds them; the
    # Swedish words language.py recognises by their letters or suffix anyway are left out.
    from chat.engine.language import detect

    marking = language_words_of(local)
    assert marking["en"] == set(lexicon["ext"]["lang"]["en"].split())
    assert marking["statement"] == set(lexicon["ext"]["statement"].split())
    assert marking["only"] == set(lexicon["ext"]["only"].split())
    assert marking["correction"] == set(lexicon["ext"]["correction"].split())
    assert local["lang"]["suffix_sv"] == lexicon["ext"]["lang_suffix_sv"]
    kept = marking["sv"]
    assert kept <= set(lexicon["ext"]["lang"]["sv"].split())
    for word in set(lexicon["ext"]["lang"]["sv"].split()) - kept:
        assert detect(word) == "sv" or word in lexicon["ext"]["lang"]["en"].split()
    assert sorted(local["t"]) == ["en", "sv"]
    for loc, templates in local["t"].items():
        assert sorted(templates) == sorted(LOCAL_TEMPLATES | EXT_TEMPLATES)
        source = {**lexicon["t"][loc], **lexicon["ext"]["t"][loc]}
        assert templates.items() <= source.items()


def test_widget_js_is_javascript_with_a_short_public_cache_and_etag(client):
    response = client.get("/widget.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "public" in response["Cache-Control"]
    max_age = int(response["Cache-Control"].split("max-age=")[1].split(",")[0])
    assert 0 < max_age <= 300
    assert response["ETag"].startswith('"')
    assert response.content == current_widget().loader.raw
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
    assert gzip.decompress(response.content) == current_widget().loader.raw
    assert response["ETag"] != client.get("/widget.js")["ETag"]


def test_widget_js_is_not_gzipped_when_gzip_is_refused(client):
    response = client.get("/widget.js", HTTP_ACCEPT_ENCODING="gzip;q=0, identity")
    assert "Content-Encoding" not in response


def test_widget_js_head_has_headers_and_no_body(client):
    response = client.head("/widget.js")
    assert response.status_code == 200
    assert response["Content-Length"] == str(len(current_widget().loader.raw))
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
def test_collectstatic_copies_the_hashed_panel_that_whitenoise_serves_forever(settings, tmp_path):
    from whitenoise.middleware import WhiteNoiseMiddleware

    settings.STATIC_ROOT = tmp_path / "static"
    settings.WIDGET_BUILD_DIR = tmp_path / "build"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "widget.storage.StaticFilesStorage"},  # production's
    }
    call_command("collectstatic", "--noinput", verbosity=0)
    name = current_widget().panel_name
    assert (tmp_path / "static" / name).read_bytes() == current_widget().panel.raw
    served_gzip = (tmp_path / "static" / f"{name}.gz").read_bytes()  # what whitenoise sends
    assert served_gzip == current_widget().panel.gzipped  # Zopfli, as widget.storage writes it
    assert len(served_gzip) <= PANEL_BUDGET, f"{len(served_gzip)} bytes gzipped by whitenoise"
    whitenoise = WhiteNoiseMiddleware(lambda request: None)
    headers = whitenoise.files["/static/" + name].get_response("GET", {}).headers
    assert "immutable" in dict(headers)["Cache-Control"]
    assert not re.search(r"/widget\.js$", " ".join(whitenoise.files))  # the loader is a view


def test_the_parts_the_widget_derives_really_are_derivable():
    """If lexicon.json ever breaks the derivation, the build refuses instead of shipping drift."""
    lexicon = json.loads(LEXICON_PATH.read_text("utf-8"))
    codes = lexicon["allergens"].split()
    assert list(lexicon["allergen"]) == codes
    assert lexicon["labels"]["en"].split("|") == [
        c[0].upper() + c[1:] for c in codes + lexicon["diets"].split()
    ]


def test_the_widgets_compound_suffixes_are_lexicon_pys():
    """The one constant the local engine copies from Python (lexicon.json has no such table)."""
    import re

    from chat.engine.lexicon import ALLERGY_SUFFIXES, FREE_SUFFIXES
    from widget.bundle import PANEL_DIR

    source = (PANEL_DIR / "10-lexicon.js").read_text("utf-8")
    copied = re.search(r"var COMPOUND_SUFFIXES = split\('([^']*)'\)", source).group(1).split()
    assert tuple(copied) == ALLERGY_SUFFIXES + FREE_SUFFIXES
