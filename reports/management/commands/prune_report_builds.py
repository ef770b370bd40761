"""Delete the reports built in the background that are past ``REPORT_BUILD_KEEP_HOURS``,
with their files (each new build also does it; run this daily where builds are rare)."""

from django.core.management.base import BaseCommand

from reports.builds import prune_builds


class Command(BaseCommand):
    help = "Delete the reports built in the background past REPORT_BUILD_KEEP_HOURS."

    def handle(self, *args, **options):
        deleted = prune_builds()
        self.stdout.write(f"{deleted} report build(s) deleted.")
