#!/usr/bin/env python
import os
import sys
from pathlib import Path

LOCAL_ENV = Path(__file__).resolve().parent / ".data" / "local.env"


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "replikasi.settings")
    # After `make run` or `make test`, local settings (embedded services) are here; real ones win.
    if LOCAL_ENV.exists():
        for line in LOCAL_ENV.read_text().splitlines():
            key, _, value = line.partition("=")
            if key:
                os.environ.setdefault(key, value)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
