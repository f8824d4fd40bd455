from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from exports import views as export_views
from messages_app import views as message_views
from pages import scene_controls
from projects import views as project_views
from scenes import views as scene_views

project_urls = [
    path("", project_views.project_list, name="list"),
    path("<int:project_id>/", project_views.project_detail, name="detail"),
    path("<int:project_id>/settings/", project_views.project_settings, name="settings"),
    path("<int:project_id>/duplicate/", project_views.project_duplicate, name="duplicate"),
    path("<int:project_id>/delete/", project_views.project_delete, name="delete"),
    path("<int:project_id>/messages/", message_views.message_list, name="messages"),
    path("<int:project_id>/messages/send/", message_views.submit, name="submit"),
    path(
        "<int:project_id>/messages/<int:message_id>/",
        message_views.message_body,
        name="message_body",
    ),
    path(
        "<int:project_id>/messages/<int:message_id>/item/",
        message_views.message_item,
        name="message",
    ),
    path("<int:project_id>/messages/<int:message_id>/task/", message_views.task, name="task"),
    path("<int:project_id>/messages/<int:message_id>/retry/", message_views.retry, name="retry"),
    path("<int:project_id>/scenes/", scene_views.scene_list, name="scenes"),
    path(
        "<int:project_id>/scenes/<int:scene_id>/frame/",
        scene_views.scene_frame,
        name="scene_frame",
    ),
    path(
        "<int:project_id>/scenes/<int:scene_id>/move/",
        scene_controls.move_scene,
        name="scene_move",
    ),
    path(
        "<int:project_id>/scenes/<int:scene_id>/duplicate/",
        scene_controls.duplicate_scene,
        name="scene_duplicate",
    ),
    path(
        "<int:project_id>/scenes/<int:scene_id>/delete/",
        scene_controls.delete_scene,
        name="scene_delete",
    ),
    path("<int:project_id>/events/", message_views.project_events, name="events"),
    path("<int:project_id>/exports/", export_views.export_list, name="exports"),
    path("<int:project_id>/exports/new/", export_views.create_export, name="export_create"),
    path("<int:project_id>/exports/<int:export_id>/", export_views.export_card, name="export_card"),
    path(
        "<int:project_id>/exports/<int:export_id>/cancel/",
        export_views.cancel_export,
        name="export_cancel",
    ),
    path(
        "<int:project_id>/exports/<int:export_id>/delete/",
        export_views.delete_export,
        name="export_delete",
    ),
    path(
        "<int:project_id>/exports/<int:export_id>/video.mp4",
        export_views.export_file,
        name="export_video",
    ),
    path(
        "<int:project_id>/exports/<int:export_id>/download/",
        export_views.export_file,
        {"download": True},
        name="export_download",
    ),
]

urlpatterns = [
    path("", include((project_urls, "projects"))),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
]
