from django.urls import path

from clients import views

app_name = "brands"
urlpatterns = [
    path("brands/", views.brand_list, name="list"),
    path("brands/new/", views.brand_create, name="create"),
    path("brands/all/select/", views.brand_select_all, name="select_all"),
    path("brands/<int:brand_id>/edit/", views.brand_edit, name="edit"),
    path("brands/<int:brand_id>/archive/", views.brand_archive, name="archive"),
    path("brands/<int:brand_id>/restore/", views.brand_restore, name="restore"),
    path("brands/<int:brand_id>/select/", views.brand_select, name="select"),
]
