"""python manage.py export_questions --bank NAME --format gift|xml [-o FILE | --output FILE]"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from exams import services
from exams.models import QuestionBank


class Command(BaseCommand):
    help = "Export a question bank as Moodle GIFT or Moodle XML (standard output when no file)."

    def add_arguments(self, parser):
        parser.add_argument("--bank", required=True)
        parser.add_argument("--format", choices=["gift", "xml"], required=True)
        parser.add_argument("-o", "--output")

    def handle(self, *args, **options):
        with translation.override(translation.get_language() or "zh-hans"):
            bank = QuestionBank.objects.filter(name=options["bank"]).first()
            if bank is None:
                raise CommandError(_("No question bank named “%(bank)s”.") % {"bank": options["bank"]})
            text, warnings = services.bank_export(bank=bank, fmt=options["format"])
            for warning in warnings:
                self.stderr.write(self.style.WARNING(warning))
            if options["output"]:
                with open(options["output"], "w", encoding="utf-8") as handle:
                    handle.write(text)
            else:
                self.stdout.write(text, ending="")
