"""Wagtail pages find their site without a query per request."""

from __future__ import annotations

from wagtail.views import serve

from .site_cache import site_for_request


class CachedSiteMiddleware:
    """Before Wagtail's `serve` view routes a page, put the request's site on the request from
    `cms.site_cache.site_for_request` (cached per host and port under the `content` generation,
    so a change of site starts anew): Wagtail's `Site.find_for_request` then reads it instead of
    running its query. Other views are left alone (API calls and answer saves never pay a cache
    read for a site they do not show)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs) -> None:
        if view_func is serve:
            site_for_request(request)
