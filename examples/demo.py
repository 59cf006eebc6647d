"""``make demo``: the main job on the bundled example project, one part after another.

Each part is a script beside this one; it prints what a user would see.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PARTS = ["demo_lint.py", "demo_runtime.py", "demo_sessions.py", "demo_keystore.py"]

if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent))
    for part in PARTS:
        script = HERE / part
        if script.exists():
            print(f"\n######## {part} ########\n", flush=True)
            runpy.run_path(str(script), run_name="__main__")
