# API tokens moved from rest_framework.authtoken (stored in plain text, never expiring) to
# django-rest-knox (hashed, expiring). The old table is dropped so that no plain-text token
# stays in the database; API clients ask for a new token once.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token", migrations.RunSQL.noop),
    ]
