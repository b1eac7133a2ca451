from wagtail import hooks

from .viewsets import LiveSessionViewSet


@hooks.register("register_admin_viewset")
def register_live_viewset():
    return LiveSessionViewSet("live_sessions")
