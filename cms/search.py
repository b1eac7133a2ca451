"""Chinese full-text search on the database search backend (SQLite FTS5 and PostgreSQL).

Chinese is written without spaces, so a database tokenizer sees "苏州恒信精密机械有限公司" as one
word and only an exact full title ever matches. Text is therefore segmented with jieba into
space-separated words when it is indexed and again when it is queried:

- ``segment(text)`` returns the words of ``text`` joined by spaces (search-engine mode: long words
  also give their dictionary sub-words, so "精密机械" finds "精密" and "机械" too). Text without
  Chinese characters comes back unchanged.
- ``search_pages(queryset, query)`` runs a search on any Wagtail-indexed queryset (pages, courses,
  snippets) and returns the results; every word of a Chinese query must match.

``WAGTAILSEARCH_BACKENDS["default"]["BACKEND"] = "cms.search"`` selects the backends below; they
segment every indexed value and every query, so Wagtail's own admin search finds Chinese too.
Deployments that outgrow the database use Elasticsearch/OpenSearch with a Chinese analyser instead
(see the README, "Search").
"""

from __future__ import annotations

import logging
import re
from functools import cache, lru_cache

import jieba
from django.db import connection
from modelsearch.backends.database import SearchBackend as _vendor_backend

jieba.setLogLevel(logging.WARNING)

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def has_chinese(text: str) -> bool:
    """True when ``text`` holds at least one CJK ideograph."""
    return bool(_HAN.search(text or ""))


@lru_cache(maxsize=2048)
def segment(text: str) -> str:
    """Return ``text`` as space-separated words (jieba search-engine mode).

    Input: any string; output: the same characters with words separated by single spaces,
    punctuation kept as its own token. Text with no Chinese is returned unchanged, so English
    indexing and queries behave as Wagtail's stock backend.
    """
    if not has_chinese(text):
        return text
    return " ".join(word for word in jieba.cut_for_search(text) if word.strip())


def search_pages(queryset, query: str):
    """Search a Wagtail-indexed ``queryset`` for ``query`` (str, any language).

    Returns Wagtail search results ordered by relevance. A Chinese query is segmented like the
    index and every word must match (so "信用培育" does not also return every page that mentions
    only "信用"); an English query keeps Wagtail's defaults.
    """
    operator = "and" if has_chinese(query) else None
    return queryset.search(query, operator=operator)


class _SegmentingQueryMixin:
    def _search(self, query_compiler_class, query, model_or_queryset, **kwargs):
        if isinstance(query, str):
            query = segment(query)
        return super()._search(query_compiler_class, query, model_or_queryset, **kwargs)


@cache
def _segmenting(module, backend_class):
    """A subclass of ``backend_class`` that segments indexed values and queries.

    The vendor index builds its rows with ``module.ObjectIndexer``; pointing that name at a
    segmenting subclass is the one hook it offers for what goes into the index.
    """
    if not getattr(module.ObjectIndexer, "segments_chinese", False):

        class SegmentingIndexer(module.ObjectIndexer):
            segments_chinese = True

            def prepare_value(self, value):
                return segment(super().prepare_value(value))

        module.ObjectIndexer = SegmentingIndexer
    return type(f"Chinese{backend_class.__name__}", (_SegmentingQueryMixin, backend_class), {})


def SearchBackend(params):  # the name Wagtail looks up in a backend module
    """The database backend Wagtail would pick for the default database, segmenting Chinese.

    SQLite with FTS5 and PostgreSQL are supported; other databases get the vendor's fallback.
    """
    backend = _vendor_backend(params)
    if connection.vendor == "postgresql":
        from modelsearch.backends.database.postgres import postgres as module

        return _segmenting(module, module.PostgresSearchBackend)(params)
    if connection.vendor == "sqlite" and type(backend).__name__ == "SQLiteSearchBackend":
        from modelsearch.backends.database.sqlite import sqlite as module

        return _segmenting(module, module.SQLiteSearchBackend)(params)
    return backend
