from django.apps import AppConfig


class DemoConfig(AppConfig):
    """``manage.py seed_demo``: Sulawesi Tengah with two districts mapped over two rounds
    (``demo.seed``), from the data in this package. Not the product: no product app
    imports it."""

    name = "demo"
    verbose_name = "Demo"
