from django.core.paginator import Paginator
from django.shortcuts import render
from wagtail.models import Locale, Page

from cms.search import search_pages


def search(request):
    """Full-text search over the live pages in the visitor's language."""
    query = request.GET.get("q", "").strip()[:200]
    results = Page.objects.none()
    if query:
        pages = Page.objects.live().public().filter(locale=Locale.get_active()).specific()
        results = search_pages(pages, query)
    page = Paginator(results, 10).get_page(request.GET.get("page"))
    return render(request, "cms/search.html", {"query": query, "results": page})
