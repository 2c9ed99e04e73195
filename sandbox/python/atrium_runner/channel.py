"""The control channel: JSON lines on the container's attached stdin/stdout, every line we write
signed with the session key (`<HMAC-SHA256 hex> <JSON>`), as the JavaScript runner does."""

import asyncio
import datetime
import hashlib
import hmac
import json
import os
import sys
import uuid

# The server bounds its lines too; this only keeps a hostile or broken peer from growing our memory.
MAX_LINE_BYTES = 64 * 1024 * 1024


class Channel:
    def __init__(self, session: str):
        self.session = session
        self.key: bytes | None = None
        # Set once the key is in hand: the kernel (and with it cell code) starts only after.
        self.keyed = asyncio.Event()
        # The channel is fd 1 and nothing else may write on it: print() goes to stderr from here on.
        self._out = os.fdopen(os.dup(1), "wb", buffering=0)
        sys.stdout = sys.stderr

    def message(self, msg_type: str, content: dict, parent: dict | None = None) -> dict:
        return {
            "header": {
                "msg_id": str(uuid.uuid4()),
                "msg_type": msg_type,
                "session": self.session,
                "username": "atrium",
                "date": datetime.datetime.now(datetime.timezone.utc).isoformat(),
                "version": "5.3",
            },
            "parent_header": parent or {},
            "metadata": {},
            "content": content,
        }

    def emit(self, msg_type: str, content: dict, parent: dict | None = None) -> None:
        # ASCII JSON: the bytes signed are the bytes the server verifies, whatever the text holds.
        data = json.dumps(self.message(msg_type, content, parent), separators=(",", ":"), ensure_ascii=True)
        signature = hmac.new(self.key, data.encode(), hashlib.sha256).hexdigest() if self.key else "-"
        self._out.write(f"{signature} {data}\n".encode())

    async def lines(self):
        """Yields the server's lines (decoded JSON objects); the first must carry the key."""
        loop = asyncio.get_running_loop()
        reader = asyncio.StreamReader(limit=MAX_LINE_BYTES)
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
        while True:
            try:
                line = await reader.readline()
            except ValueError:
                print("runner: ignoring a control line past the limit", file=sys.stderr)
                continue
            if not line:
                return
            line = line.strip()
            if not line:
                continue
            try:
                value = json.loads(line)
            except ValueError:
                print("runner: ignoring a malformed control message", file=sys.stderr)
                continue
            if self.key is None:
                hex_key = value.get("atrium_key") if isinstance(value, dict) else None
                if isinstance(hex_key, str) and len(hex_key) == 64:
                    try:
                        self.key = bytes.fromhex(hex_key)
                        self.keyed.set()
                        continue
                    except ValueError:
                        pass
                print("runner: the first control line must carry the session key", file=sys.stderr)
                continue
            header = value.get("header") if isinstance(value, dict) else None
            if not isinstance(header, dict) or not isinstance(header.get("msg_type"), str):
                print("runner: ignoring a control message without header.msg_type", file=sys.stderr)
                continue
            yield value
