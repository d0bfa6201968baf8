"""Other packages' model admins, registered again as subclasses of the site's guarded base
(sitetools.modeladmin.SchoolModelAdmin): the sign-in lockout records (django-axes) and the task queue
(django-tasks-db). Django's own users and groups are registered again by staffauth/admin.py."""

from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django_tasks_db import admin as tasks_admin
from django_tasks_db.models import DBTaskResult

from sitetools.modeladmin import SchoolModelAdmin


class AccessAttemptAdmin(SchoolModelAdmin, axes_admin.AccessAttemptAdmin):
    pass


class AccessLogAdmin(SchoolModelAdmin, axes_admin.AccessLogAdmin):
    pass


class AccessFailureLogAdmin(SchoolModelAdmin, axes_admin.AccessFailureLogAdmin):
    pass


class DBTaskResultAdmin(SchoolModelAdmin, tasks_admin.DBTaskResultAdmin):
    pass


for model, model_admin in [
    (AccessAttempt, AccessAttemptAdmin),
    (AccessLog, AccessLogAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
    (DBTaskResult, DBTaskResultAdmin),
]:
    if admin.site.is_registered(model):
        admin.site.unregister(model)
        admin.site.register(model, model_admin)
