"""python manage.py import_questions FILE --bank NAME [--format gift|xml] [--dry-run]
[--audience enterprise|validator] [--edition CODE] — all or nothing; exits non-zero on errors."""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from exams import services


class Command(BaseCommand):
    help = "Import a Moodle GIFT or Moodle XML question file into a bank (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="File to import, or - for standard input.")
        parser.add_argument("--bank", required=True)
        parser.add_argument("--format", choices=["gift", "xml"])
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--audience", choices=["enterprise", "validator"], default="enterprise")
        parser.add_argument("--edition", default=services.DEFAULT_EDITION)

    def handle(self, *args, **options):
        with translation.override(translation.get_language() or "zh-hans"):
            if options["file"] == "-":
                data = sys.stdin.buffer.read()
            else:
                try:
                    with open(options["file"], "rb") as handle:
                        data = handle.read()
                except OSError as exc:
                    raise CommandError(
                        _("Cannot read %(file)s: %(error)s") % {"file": options["file"], "error": exc}
                    ) from exc
            report = services.bank_import(
                bank_name=options["bank"],
                data=data,
                fmt=options["format"],
                audience=options["audience"],
                edition_code=options["edition"],
                dry_run=options["dry_run"],
            )
            for warning in report.warnings:
                self.stderr.write(self.style.WARNING(warning))
            if not report.ok:
                for error in report.errors:
                    self.stderr.write(self.style.ERROR(error))
                raise CommandError(_("Nothing was imported: %(count)d errors.") % {"count": len(report.errors)})
            prefix = _("Dry run, nothing stored: ") if report.dry_run else ""
            self.stdout.write(self.style.SUCCESS(prefix + report.summary()))
