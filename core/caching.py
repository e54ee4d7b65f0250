"""Every cached thing in one scheme: version counters, and keys built from them.

A ``Version`` is a counter in the cache that every write to the data it covers bumps (each app
connects the bumps in its ``signals.py``). A cached value built from that data carries the counter in
its key (``cache_key``), so a write makes the old value unreachable at once, without finding and
deleting it; it expires on its own. The same counters give the API's ``ETag`` and ``Last-Modified``
(``core.api.base.PublicReadMixin``), so a 304 costs no SQL.

All versions register themselves in ``Version.registry``: ``python manage.py shell -c "from
core.caching import Version; print(Version.registry)"`` lists them once the apps are loaded.
"""

from __future__ import annotations

import hashlib
import logging
from typing import ClassVar

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

PREFIX = "replikasi"
# Parts longer than this (a query string, a fingerprint of filters) are hashed into the key.
LONGEST_PART = 80


def cache_key(*parts) -> str:
    """``replikasi:part:part…``, each part as text; long parts hashed, so a key stays under memcached's
    and Redis' practical limits whatever a user typed."""
    texts = []
    for part in parts:
        text = str(part)
        if len(text) > LONGEST_PART or any(c.isspace() for c in text):
            text = hashlib.sha1(text.encode()).hexdigest()
        texts.append(text)
    return ":".join([PREFIX, *texts])


class Version:
    """A named counter, bumped by every write to the data it covers."""

    registry: ClassVar[dict[str, Version]] = {}

    def __init__(self, name: str, covers: str):
        if name in self.registry:
            raise ValueError(f"a cache version named {name!r} exists already")
        self.name = name
        self.covers = covers
        self.key = cache_key("version", name)
        self.registry[name] = self

    def __repr__(self) -> str:
        return f"Version({self.name!r})"

    def current(self) -> int:
        return cache.get_or_set(self.key, 1, timeout=None)

    def bump(self, **signal_kwargs) -> None:
        """Now, and again after commit: a reader that saw the old rows meanwhile cached them under a
        version that is dead by then. Usable directly as a signal receiver."""
        self.increment()
        transaction.on_commit(self.increment)

    def increment(self) -> None:
        """A cache that is down is logged, never raised: the write that bumps is worth more than the bump
        (values cached under the old counter expire on their own)."""
        try:
            try:
                cache.incr(self.key)
            except ValueError:  # not set yet: the next read starts a version
                cache.set(self.key, 1, timeout=None)
        except Exception as error:
            logger.warning("cache version %s not bumped: %s: %s", self.name, type(error).__name__, error)


def versioned_key(what: str, versions: tuple[Version, ...], *parts) -> str:
    """The key of a cached value built from the data of ``versions``: ``what`` names the value,
    ``parts`` whatever else it depends on (a language, an audience, a query)."""
    return cache_key(what, *(f"{v.name}{v.current()}" for v in versions), *parts)


def forget(key: str) -> None:
    """Drop a cached value; a cache that is down is logged, never raised. The write that made the value
    stale has happened (an email sent, a row committed) and must not be undone by the cache."""
    try:
        cache.delete(key)
    except Exception as error:
        logger.warning("cache key %s not invalidated: %s: %s", key, type(error).__name__, error)


def forget_after_commit(key: str) -> None:
    """Drop a cached value once the surrounding transaction commits (at once outside one), so that a
    count cached meanwhile from the old rows does not outlive the write."""
    transaction.on_commit(lambda: forget(key))
