"""The running app's cache registry (see ``feedback.services.caching``)."""

from __future__ import annotations

from flask import Flask, current_app

from feedback.services.caching import CacheRegistry


def init_app(app: Flask) -> None:
    app.extensions["caches"] = CacheRegistry()


def caches() -> CacheRegistry:
    """Return the registry of the app handling this request or command."""
    return current_app.extensions["caches"]  # type: ignore[no-any-return]
