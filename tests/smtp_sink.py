"""A real local SMTP server for tests: each message it accepts becomes one file in a folder.

Run in a thread (``SmtpSink``) or as its own process (``python tests/smtp_sink.py PORT FOLDER``)
so that a test can kill it outright. ``--delay`` makes each message take that long; addresses in
``--refuse`` get a permanent 550 at RCPT, as a real server does for an unknown mailbox.
"""

import argparse
import asyncio
import time
import uuid
from pathlib import Path

from aiosmtpd.controller import Controller


class FolderHandler:
    def __init__(self, folder: Path, delay: float = 0.0, refuse: tuple[str, ...] = ()):
        self.folder, self.delay, self.refuse = Path(folder), delay, set(refuse)
        self.folder.mkdir(parents=True, exist_ok=True)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        name = f"{time.time_ns()}-{uuid.uuid4().hex}.eml"
        (self.folder / name).write_bytes(envelope.original_content or envelope.content)
        return "250 Message accepted"


def received(folder: Path) -> list[bytes]:
    return [path.read_bytes() for path in sorted(Path(folder).glob("*.eml"))]


class SmtpSink:
    """An SMTP server on 127.0.0.1:``port`` in a thread of this process."""

    def __init__(self, port: int, folder: Path, **options):
        handler = FolderHandler(folder, **options)
        self.controller = Controller(handler, hostname="127.0.0.1", port=port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("folder")
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--refuse", nargs="*", default=[])
    args = parser.parse_args()
    handler = FolderHandler(Path(args.folder), args.delay, tuple(args.refuse))
    controller = Controller(handler, hostname="127.0.0.1", port=args.port)
    controller.start()
    print("ready", flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
