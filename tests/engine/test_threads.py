"""The engine's stemming under gunicorn's gthread workers: two threads preparing menus at once."""

from __future__ import annotations

import sys
import threading

from chat.engine import lexicon

WORDS = [
    "currying",
    "nationalities",
    "pizzorna",
    "efterrätterna",
    "generously",
    "dumplings",
    "caramelised",
    "vegetarianism",
]


def test_word_forms_are_the_same_when_threads_stem_at_once():
    """A Snowball stemmer keeps its current word in itself: shared between threads, one thread's
    word ran into the other's (an IndexError, a 503 in the load benchmark)."""
    stems = lexicon.forms.__wrapped__  # past the cache: every call stems
    expected = {word: stems(word) for word in WORDS}
    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    failures: list[BaseException] = []
    wrong: list[str] = []

    def stem_many(offset: int) -> None:
        try:
            for n in range(3000):
                word = WORDS[(n + offset) % len(WORDS)]
                if stems(word) != expected[word]:
                    wrong.append(word)
        except BaseException as exc:  # reported below
            failures.append(exc)

    threads = [threading.Thread(target=stem_many, args=(n,)) for n in range(4)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(previous)

    assert failures == [] and wrong == []


def test_the_stemmers_are_snowballs_c_build():
    """snowballstemmer hands out PyStemmer's C stemmers when it is installed (pyproject)."""
    import snowballstemmer

    assert type(snowballstemmer.stemmer("english")).__module__ == "Stemmer"
