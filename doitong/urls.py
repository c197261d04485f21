"""URL routes: the API, stored outputs, the admin and the portal.

The API (``/graphql``), outputs (``/media/…``), ``/api/ping`` and ``/admin/`` have no
language prefix. The portal's pages live under one in every language, English
included (``/en/``, ``/pt-br/``, ``/zh-hans/``, ``/hi/``, ``/ko/``, ``/rm/``); ``/``
redirects to the language of the cookie or ``Accept-Language``.
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path

from doitong.ping import ping
from generations.graphql.view import DoitongGraphQLView
from generations.views import media_serve
from portal.views.pages import root_redirect

urlpatterns = [
    path("graphql", DoitongGraphQLView.as_view(), name="graphql"),
    path("graphql/", DoitongGraphQLView.as_view()),
    re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.+)$", media_serve, name="media"),
    path("api/ping", ping, name="ping"),
    path("admin/", admin.site.urls),
    # The language switcher posts here (Django's set_language: cookie + redirect).
    path("i18n/", include("django.conf.urls.i18n")),
    path("", root_redirect, name="root"),
]
urlpatterns += i18n_patterns(path("", include("portal.urls")), prefix_default_language=True)
