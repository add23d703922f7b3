"""What the benches store: one patient's request, as the form makes it (made up)."""

from __future__ import annotations

PERSONAL = {
    "name": "Ana López",
    "phone": "+18015550100",
    "email": "ana@example.com",
    "method": "call",
    "best_time": "any",
    "message": "Is it covered by insurance? " * 10,
}
