"""Load the demo (``demo.seed``): Sulawesi Tengah, Kabupaten Sigi and Kota Palu mapped over
two rounds across government levels, and one user per role. Running it again changes
nothing but the passwords, which it prints (they exist nowhere else)."""

from django.core.management.base import BaseCommand

from demo.seed import seed_demo


class Command(BaseCommand):
    help = "Load the Sulawesi Tengah demo (idempotent) and print the demo users' passwords."

    def handle(self, *args, **options):
        seed_demo(out=self.stdout)
