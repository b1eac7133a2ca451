from django.conf import settings
from wagtail import hooks

from lms.page_cache import mark_cacheable


@hooks.register("before_serve_page", order=1)
def allow_anonymous_page_cache(page, request, serve_args, serve_kwargs):
    """Public page types (`LMS_PAGE_CACHE_PAGE_TYPES`) may be served to anonymous visitors from
    the page cache (`lms.page_cache`); view restrictions are checked before this hook runs."""
    if page.specific_class._meta.label in settings.LMS_PAGE_CACHE_PAGE_TYPES:
        mark_cacheable(request)
