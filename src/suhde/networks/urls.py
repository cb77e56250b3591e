from django.urls import path

from . import views

app_name = "networks"

urlpatterns = [
    path("", views.my_networks, name="my_networks"),
    path("ecosystem/", views.ecosystem, name="ecosystem"),
    path("me/", views.my_details, name="my_details"),
    path(
        "me/changes/<int:change_id>/accept/",
        views.my_change_decide,
        {"decision": "accept"},
        name="my_change_accept",
    ),
    path(
        "me/changes/<int:change_id>/decline/",
        views.my_change_decide,
        {"decision": "decline"},
        name="my_change_decline",
    ),
    path("n/new/", views.network_create, name="create"),
    path("n/<slug:slug>/", views.network_home, name="home"),
    path("n/<slug:slug>/edit/", views.network_edit, name="edit"),
    path("n/<slug:slug>/archive/", views.network_archive, name="archive"),
    path("n/<slug:slug>/phase/", views.network_phase, name="phase"),
    path("n/<slug:slug>/members/", views.members, name="members"),
    path("n/<slug:slug>/members/new/", views.member_add, name="member_add"),
    path("n/<slug:slug>/members/<int:membership_id>/", views.member_edit, name="member_edit"),
    path("n/<slug:slug>/members/<int:membership_id>/end/", views.member_end, name="member_end"),
    path(
        "n/<slug:slug>/members/<int:membership_id>/restore/",
        views.member_restore,
        name="member_restore",
    ),
    path("n/<slug:slug>/people/<int:person_id>/", views.person_detail, name="person"),
    path("n/<slug:slug>/people/<int:person_id>/edit/", views.person_edit, name="person_edit"),
    path("n/<slug:slug>/people/<int:person_id>/invite/", views.person_invite, name="person_invite"),
    path("n/<slug:slug>/people/<int:person_id>/merge/", views.person_merge, name="person_merge"),
    path(
        "n/<slug:slug>/people/<int:person_id>/archive/",
        views.person_archive,
        name="person_archive",
    ),
    path("n/<slug:slug>/organizations/", views.organizations, name="organizations"),
    path(
        "n/<slug:slug>/organizations/<int:organization_id>/merge/",
        views.organization_merge,
        name="organization_merge",
    ),
    path("n/<slug:slug>/organizations/new/", views.organization_create, name="organization_create"),
    path(
        "n/<slug:slug>/organizations/<int:organization_id>/",
        views.organization_detail,
        name="organization",
    ),
    path(
        "n/<slug:slug>/organizations/<int:organization_id>/edit/",
        views.organization_edit,
        name="organization_edit",
    ),
    path(
        "n/<slug:slug>/organizations/<int:organization_id>/archive/",
        views.organization_archive,
        name="organization_archive",
    ),
    path("n/<slug:slug>/ties/", views.ties, name="ties"),
    path("n/<slug:slug>/ties/new/", views.tie_create, name="tie_create"),
    path("n/<slug:slug>/ties/<int:tie_id>/", views.tie_detail, name="tie"),
    path("n/<slug:slug>/ties/<int:tie_id>/edit/", views.tie_edit, name="tie_edit"),
    path("n/<slug:slug>/ties/<int:tie_id>/delete/", views.tie_delete, name="tie_delete"),
    path(
        "n/<slug:slug>/ties/<int:tie_id>/sources/<int:origin_id>/remove/",
        views.tie_origin_remove,
        name="tie_origin_remove",
    ),
    path("n/<slug:slug>/removed/", views.removed, name="removed"),
    path(
        "n/<slug:slug>/removed/<int:removal_id>/restore/",
        views.removal_restore,
        name="removal_restore",
    ),
    path("n/<slug:slug>/map/", views.network_map, name="map"),
    path("n/<slug:slug>/rings/", views.network_rings, name="rings"),
    path("n/<slug:slug>/import/", views.network_import, name="import"),
    path(
        "n/<slug:slug>/import/<int:pending_id>/confirm/",
        views.network_import_confirm,
        name="import_confirm",
    ),
    path(
        "n/<slug:slug>/import/template/<str:kind>/<str:fmt>/",
        views.network_import_template,
        name="import_template",
    ),
    path("n/<slug:slug>/export/", views.network_export, name="export"),
    path("n/<slug:slug>/mail/", views.network_mail, name="mail"),
    path(
        "n/<slug:slug>/mail/<int:message_id>/bounced/",
        views.network_mail_bounced,
        name="mail_bounced",
    ),
    path("n/<slug:slug>/jobs/<int:job_id>/", views.network_job, name="job"),
    path("n/<slug:slug>/jobs/<int:job_id>/file/", views.network_job_file, name="job_file"),
    path("n/<slug:slug>/export/<str:fmt>/", views.network_export_file, name="export_file"),
]
