"""Django's Redis cache backend, with one connection pool and one redis-py client per server
for the whole process.

Django keeps a cache backend per thread, and its `RedisCacheClient` a connection pool per backend
and a new `redis.Redis` object for every cache call (copying its table of response callbacks each
time). So every new thread opened its own pool, and each of its connections said hello to the
server and read the library's version from the installed package's metadata: on a booking that
tells the page cache its seats changed, that cost more CPU than the booking's own statements.
redis-py's pools and clients are safe to share between threads (a client takes a connection from
its pool for each command; a pool starts anew in a forked child), so one of each is kept per
server and options. Everything else is Django's."""

from __future__ import annotations

import threading

from django.core.cache.backends import redis as django_redis

_SHARED: dict[tuple, tuple[object, object]] = {}
_SHARED_LOCK = threading.Lock()


class RedisCacheClient(django_redis.RedisCacheClient):
    """`get_client` answers the process's client for the server: same pool, same client."""

    def _shared(self, write: bool) -> tuple[object, object]:
        index = self._get_connection_pool_index(write)
        key = (self._servers[index], self._pool_class, repr(sorted(self._pool_options.items())))
        found = _SHARED.get(key)
        if found is None:
            with _SHARED_LOCK:
                found = _SHARED.get(key)
                if found is None:
                    pool = self._pool_class.from_url(self._servers[index], **self._pool_options)
                    found = _SHARED[key] = (pool, self._client(connection_pool=pool))
        return found

    def _get_connection_pool(self, write):
        return self._shared(write)[0]

    def get_client(self, key=None, *, write=False):
        return self._shared(write)[1]


class RedisCache(django_redis.RedisCache):
    """`django.core.cache.backends.redis.RedisCache` on `RedisCacheClient`."""

    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
