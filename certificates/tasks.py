from celery import shared_task


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def render_pdf(certificate_id: int) -> None:
    """Render a certificate's PDF (safe to retry: it replaces the file)."""
    from .services import certificate_render

    certificate_render(certificate_id=certificate_id)
