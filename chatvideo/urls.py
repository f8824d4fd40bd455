from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from pages import chat, events, exports, projects, scene_controls, scenes, task, thumbnails

project_urls = [
    path("", projects.project_list, name="list"),
    path("<int:project_id>/", projects.project_detail, name="detail"),
    path("<int:project_id>/settings/", projects.project_settings, name="settings"),
    path("<int:project_id>/duplicate/", projects.project_duplicate, name="duplicate"),
    path("<int:project_id>/delete/", projects.project_delete, name="delete"),
    path("<int:project_id>/messages/", chat.message_list, name="messages"),
    path("<int:project_id>/messages/send/", chat.submit, name="submit"),
    path(
        "<int:project_id>/messages/<int:message_id>/",
        chat.message_body,
        name="message_body",
    ),
    path(
        "<int:project_id>/messages/<int:message_id>/item/",
        chat.message_item,
        name="message",
    ),
    path("<int:project_id>/messages/<int:message_id>/task/", task.task, name="task"),
    path("<int:project_id>/messages/<int:message_id>/retry/", chat.retry, name="retry"),
    path("<int:project_id>/scenes/", scenes.scene_list, name="scenes"),
    path(
        "<int:project_id>/scenes/<int:scene_id>/frame/",
        scenes.scene_frame,
        name="scene_frame",
    ),
    path(
        "<int:project_id>/scenes/<int:scene_id>/thumbnail/<str:key>.jpg",
        thumbnails.thumbnail,
        name="thumbnail",
    ),
    path("<int:project_id>/thumbnails/", thumbnails.thumbnail_urls, name="thumbnails"),
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
    path("<int:project_id>/events/", events.project_events, name="events"),
    path("<int:project_id>/exports/", exports.export_list, name="exports"),
    path("<int:project_id>/exports/new/", exports.create_export, name="export_create"),
    path("<int:project_id>/exports/<int:export_id>/", exports.export_card, name="export_card"),
    path(
        "<int:project_id>/exports/<int:export_id>/cancel/",
        exports.cancel_export,
        name="export_cancel",
    ),
    path(
        "<int:project_id>/exports/<int:export_id>/delete/",
        exports.delete_export,
        name="export_delete",
    ),
    path(
        "<int:project_id>/exports/<int:export_id>/video.mp4",
        exports.export_file,
        name="export_video",
    ),
    path(
        "<int:project_id>/exports/<int:export_id>/download/",
        exports.export_file,
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
