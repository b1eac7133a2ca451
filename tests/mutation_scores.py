"""Print the mutation score of each mutated file from the results `mutmut run` left in mutants/
(`make mutation` runs both). Killed and timed-out mutants count as caught; the score is caught /
(all mutants that were checked). Exits 1 when a file is below the target (90 %)."""

import json
import sys
from pathlib import Path

from mutmut.stats import status_by_exit_code

TARGET = 90.0


def main() -> int:
    rows = []
    for meta in sorted(Path("mutants").rglob("*.py.meta")):
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        statuses = [status_by_exit_code[code] for code in codes.values()]
        checked = [s for s in statuses if s not in {"not checked", "skipped"}]
        caught = sum(s in {"killed", "timeout", "caught by type check"} for s in checked)
        survivors = sorted(k for k, code in codes.items() if status_by_exit_code[code] in {"survived", "no tests"})
        rows.append((str(meta.relative_to("mutants"))[: -len(".meta")], caught, len(checked), survivors))
    if not rows:
        print("No mutmut results in mutants/: run `make mutation`.")
        return 1
    failed = False
    print(f"{'file':<28} {'killed':>7} {'mutants':>8} {'score':>7}")
    for path, caught, checked, _survivors in rows:
        if not checked:
            print(f"{path:<28} {'not checked (run without MUTANTS)':>24}")
            continue
        score = 100.0 * caught / checked
        failed |= score < TARGET
        print(f"{path:<28} {caught:>7} {checked:>8} {score:>6.1f}%")
    for path, _caught, _checked, survivors in rows:
        if survivors:
            print(f"\nsurvivors in {path} (`mutmut show NAME` prints the change):")
            print("\n".join(f"  {name}" for name in survivors))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
