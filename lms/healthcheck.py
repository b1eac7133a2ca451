"""The container healthcheck: `python -m lms.healthcheck [--port 8000]` exits 0 when /healthz says ok.

It asks with a Host header production accepts (the first of DJANGO_ALLOWED_HOSTS) and the
X-Forwarded-Proto a TLS-terminating proxy sets, so neither ALLOWED_HOSTS (400) nor the HTTPS
redirect (301) answers in place of the application. Standard library only: it runs in the image
without Django being imported."""

import argparse
import os
import sys
import urllib.error
import urllib.request


def allowed_host() -> str:
    """The first DJANGO_ALLOWED_HOSTS entry usable as a Host header ("localhost" for "*")."""
    hosts = [h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h.strip()]
    host = hosts[0] if hosts else "localhost"
    if host == "*":
        return "localhost"
    return "www" + host if host.startswith(".") else host


def check(port: int, timeout: float = 5.0) -> int:
    """Return the HTTP status of /healthz on 127.0.0.1:``port`` (0 when nothing answers)."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/healthz",
        headers={"Host": allowed_host(), "X-Forwarded-Proto": "https"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - fixed local URL
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    status = check(parser.parse_args().port)
    print(f"healthz: {status}")
    sys.exit(0 if status == 200 else 1)


if __name__ == "__main__":
    main()
