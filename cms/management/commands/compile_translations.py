"""Compile every `locale/**/django.po` of the project into `.mo` files.

Uses polib so a fresh machine needs no GNU gettext (`compilemessages` does the same with msgfmt)."""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand

SKIP = {".venv", "node_modules", "staticfiles", "media", ".git"}


def project_catalogues(root: Path) -> list[Path]:
    return sorted(
        path for path in root.rglob("locale/*/LC_MESSAGES/*.po") if not SKIP.intersection(path.relative_to(root).parts)
    )


class Command(BaseCommand):
    help = "Compile the project's .po translation files to .mo."

    def handle(self, *args, **options):
        for po_path in project_catalogues(Path(settings.BASE_DIR)):
            catalogue = polib.pofile(str(po_path))
            catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
            self.stdout.write(f"{po_path.relative_to(settings.BASE_DIR)}: {catalogue.percent_translated()}% translated")
