"""URL routes: the API, stored outputs, the admin and the portal."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from doitong.ping import ping
from generations.graphql.view import DoitongGraphQLView
from generations.views import media_serve

urlpatterns = [
    path("graphql", DoitongGraphQLView.as_view(), name="graphql"),
    path("graphql/", DoitongGraphQLView.as_view()),
    re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.+)$", media_serve, name="media"),
    path("api/ping", ping, name="ping"),
    path("admin/", admin.site.urls),
    path("", include("portal.urls")),
]
