from django.urls import register_converter


class RegionCodeConverter:
    """A dotted Kemendagri code (72, 72.03, 72.03.01, 72.03.01.2001) or ID for the nation."""

    regex = r"ID|\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


# Registered once here; URL modules import this module before using <region:code>.
register_converter(RegionCodeConverter, "region")
