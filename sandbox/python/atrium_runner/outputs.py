"""What the runner does to a cell's output before it leaves the sandbox: `\\r` progress lines
collapsed as Jupyter renders them, and a cap on how much one cell may send."""

import json

TRUNCATED_NOTICE = "\n[output truncated: this cell exceeded its output limit]\n"


def collapse_carriage_returns(text: str) -> str:
    """Within each line, what follows the last `\\r` replaces what came before (a tqdm bar's redraw).
    A trailing `\\r` is kept, so the next chunk still knows to overwrite the line (the server merges
    consecutive chunks and collapses again)."""
    if "\r" not in text:
        return text
    out = []
    for line in text.replace("\r\n", "\n").split("\n"):
        trailing = line.endswith("\r")
        parts = line.rstrip("\r").split("\r")
        out.append(parts[-1] + ("\r" if trailing else ""))
    return "\n".join(out)


class OutputCap:
    """Admits a cell's outputs until their JSON reaches the limit, then says so once and drops the rest."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.used = 0
        self.truncated = False

    def admit(self, content: dict) -> tuple[bool, str | None]:
        if self.truncated:
            return False, None
        size = len(json.dumps(content, ensure_ascii=True))
        if self.used + size > self.max_bytes:
            self.truncated = True
            return False, TRUNCATED_NOTICE
        self.used += size
        return True, None
