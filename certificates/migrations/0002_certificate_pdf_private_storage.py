# Certificate PDFs move from the public media folder to the private storage (never served by the
# proxy; the download view checks who asks).

from django.core.files.storage import default_storage, storages
from django.db import migrations, models

import certificates.models


def move_to_private(apps, schema_editor):
    Certificate = apps.get_model("certificates", "Certificate")
    private = storages["evidence"]
    for name in Certificate.objects.exclude(pdf="").values_list("pdf", flat=True):
        if not default_storage.exists(name):
            continue
        if not private.exists(name):
            with default_storage.open(name, "rb") as source:
                private.save(name, source)
        default_storage.delete(name)


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="certificate",
            name="pdf",
            field=models.FileField(
                blank=True, storage=certificates.models.private_storage, upload_to="certificates/", verbose_name="PDF"
            ),
        ),
        migrations.RunPython(move_to_private, migrations.RunPython.noop),
    ]
