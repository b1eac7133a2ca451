from django.urls import path

from .feeds import NewsFeed

app_name = "publicity"
urlpatterns = [
    path("feed.atom", NewsFeed(), name="feed"),
]
