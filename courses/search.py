"""Chinese word segmentation for the catalogue's full-text search (jieba). One place to switch to
the site-wide segmentation helper: the catalogue calls only these two functions."""

from __future__ import annotations

import logging

import jieba

jieba.setLogLevel(logging.WARNING)


def segment_for_index(text: str) -> str:
    """Text indexed with every word and sub-word jieba finds ("信用管理" → "信用 管理 信用管理")."""
    return " ".join(word for word in jieba.cut_for_search(text or "") if word.strip())


def segment_query(text: str) -> str:
    """A query cut into words (coarse cut: each word is present in text indexed as above)."""
    return " ".join(word for word in jieba.cut(text or "") if word.strip())
