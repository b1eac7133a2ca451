"""Demo rooms and sessions at the three bases, a full session with a waitlist, and an allocation
preview from the demo key training list for an officer to confirm. Idempotent."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

from trainees.models import TrainingType, User

from . import services
from .models import AllocationRun, Booking, Room, TrainingBase, TrainingSession

ROOMS = [
    # base, Chinese name, English name, kind, capacity
    ("suzhou", "一号教室", "Classroom 1", Room.Kind.CLASSROOM, 40),
    ("suzhou", "机房", "Computer room", Room.Kind.COMPUTER_ROOM, 30),
    ("shenzhen", "报告厅", "Lecture hall", Room.Kind.CLASSROOM, 60),
    ("shenzhen", "现场观摩区", "On-site observation area", Room.Kind.OBSERVATION_AREA, 15),
    ("guangzhou", "二号教室", "Classroom 2", Room.Kind.CLASSROOM, 35),
    ("guangzhou", "机房", "Computer room", Room.Kind.COMPUTER_ROOM, 24),
]

# base, room, Chinese title, English title, type, days from today, length in days, seats, status
SESSIONS = [
    (
        "suzhou",
        "一号教室",
        "企业信用管理法规合规培训（苏州）",
        "Credit regulations compliance training (Suzhou)",
        TrainingType.COMPLIANCE,
        10,
        1,
        30,
        TrainingSession.Status.OPEN,
    ),
    (
        "suzhou",
        "一号教室",
        "AEO认证标准与内控实务（苏州）",
        "AEO criteria and internal control (Suzhou)",
        TrainingType.AEO_CERTIFICATION,
        17,
        2,
        3,
        TrainingSession.Status.DRAFT,
    ),
    (
        "suzhou",
        "机房",
        "AEO认证模拟机考（苏州）",
        "AEO certification mock computer exam (Suzhou)",
        TrainingType.AEO_CERTIFICATION,
        31,
        1,
        20,
        TrainingSession.Status.DRAFT,
    ),
    (
        "shenzhen",
        "报告厅",
        "WCO AEO制度与互认合规培训（深圳）",
        "WCO AEO programmes and MRA compliance training (Shenzhen)",
        TrainingType.COMPLIANCE,
        12,
        1,
        1,
        TrainingSession.Status.OPEN,
    ),
    (
        "shenzhen",
        "现场观摩区",
        "AEO企业现场观摩（深圳）",
        "On-site observation at an AEO enterprise (Shenzhen)",
        TrainingType.AEO_CERTIFICATION,
        19,
        1,
        2,
        TrainingSession.Status.DRAFT,
    ),
    (
        "shenzhen",
        "报告厅",
        "海关信用培育合规培训（深圳）",
        "Customs credit cultivation compliance training (Shenzhen)",
        TrainingType.COMPLIANCE,
        26,
        1,
        40,
        TrainingSession.Status.DRAFT,
    ),
    (
        "guangzhou",
        "二号教室",
        "进出口合规与守法规范培训（广州）",
        "Import/export compliance training (Guangzhou)",
        TrainingType.COMPLIANCE,
        14,
        1,
        25,
        TrainingSession.Status.OPEN,
    ),
    (
        "guangzhou",
        "二号教室",
        "贸易安全与供应链认证实务（广州）",
        "Trade security and supply-chain certification (Guangzhou)",
        TrainingType.AEO_CERTIFICATION,
        21,
        2,
        20,
        TrainingSession.Status.DRAFT,
    ),
]


def seed(log) -> None:
    bases = {b.slug: b for b in TrainingBase.objects.all()}
    rooms = {}
    for slug, name_zh, name_en, kind, capacity in ROOMS:
        rooms[(slug, name_zh)], _ = Room.objects.update_or_create(
            base=bases[slug], name_zh=name_zh, defaults={"name_en": name_en, "kind": kind, "capacity": capacity}
        )
    trainer = User.objects.filter(email="trainer@demo.aeo").first()
    today = timezone.localdate()
    created = 0
    for slug, room, title_zh, title_en, training_type, offset, days, seats, status in SESSIONS:
        if TrainingSession.objects.filter(room=rooms[(slug, room)], title_zh=title_zh).exists():
            continue
        start = dt.datetime.combine(
            today + dt.timedelta(days=offset), dt.time(9, 0), tzinfo=timezone.get_current_timezone()
        )
        session = TrainingSession(
            title_zh=title_zh,
            title_en=title_en,
            training_type=training_type,
            base=bases[slug],
            room=rooms[(slug, room)],
            starts_at=start,
            ends_at=start + dt.timedelta(days=days - 1, hours=8),
            capacity=seats,
            booking_opens_at=timezone.now() - dt.timedelta(days=1),
            booking_closes_at=start - dt.timedelta(days=1),
            cancellation_cutoff=start - dt.timedelta(days=2),
            status=status,
        )
        services.session_save(session=session, trainer_ids=[trainer.pk] if trainer and created % 2 == 0 else [])
        created += 1
    log(f"Training bases: {len(ROOMS)} rooms, {TrainingSession.objects.count()} sessions ({created} new).")

    # A one-seat session with a waiting trainee: cancel as legal@ and manager@ is promoted.
    small = TrainingSession.objects.filter(title_zh=SESSIONS[3][2]).first()
    legal = User.objects.filter(email="legal@demo.aeo").first()
    manager = User.objects.filter(email="manager@demo.aeo").first()
    if small and legal and manager and not Booking.objects.filter(session=small).exists():
        services.booking_create(user=legal, session_id=small.pk)
        services.booking_create(user=manager, session_id=small.pk)
        log("  legal@demo.aeo holds the only seat of a Shenzhen session; manager@demo.aeo waits for it.")

    officer = User.objects.filter(email="officer@demo.aeo").first()
    if officer and not AllocationRun.objects.filter(training_type=TrainingType.AEO_CERTIFICATION).exists():
        try:
            run = services.allocation_preview(actor=officer, training_type=TrainingType.AEO_CERTIFICATION)
        except ValidationError as exc:
            log(f"  No allocation preview: {' '.join(exc.messages)}")
            return
        counts = run.plan.get("counts", {})
        log(
            f"  Allocation preview #{run.pk} (AEO certification): {counts.get('placed', 0)} placed, "
            f"{counts.get('waitlisted', 0)} waitlisted, {counts.get('skipped', 0)} not placed; "
            "officer@demo.aeo confirms it at /training/allocation/."
        )
