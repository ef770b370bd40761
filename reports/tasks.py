"""The background work of reports, run by the task worker (``manage.py db_worker``)."""

from django_tasks import task

from reports import builds


@task()
def build_report(build_id: str) -> None:
    """Build the report of one ``ReportBuild`` (``reports.builds.run_build``)."""
    builds.run_build(build_id)
