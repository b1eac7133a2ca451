"""Clearing the cache in a test without touching anyone else's keys."""

from django.core.cache import caches


def clear_cache(alias: str = "default") -> None:
    """Delete this test process's keys of one cache. On Redis `cache.clear()` is FLUSHDB: it would
    also wipe the other parallel worker's keys (its sessions and warm caches, each worker has its
    own key prefix), so only the keys under this process's prefix are deleted."""
    cache = caches[alias]
    backend = getattr(cache, "_cache", None)
    if backend is None or not hasattr(backend, "get_client"):
        cache.clear()
        return
    client = backend.get_client(write=True)
    keys = list(client.scan_iter(match=cache.make_key("*")))
    if keys:
        client.delete(*keys)
