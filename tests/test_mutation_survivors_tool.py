"""tools/mutation_survivors.py: counts killed (run or recheck), justified, gap and unexplained
survivors from a synthetic run folder, and lists each survivor's change."""
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("mutation_survivors",
                                              ROOT / "tools" / "mutation_survivors.py")
tool = importlib.util.module_from_spec(spec)
spec.loader.exec_module(tool)


def test_counts_and_rows(tmp_path, capsys):
    (tmp_path / "results.txt").write_text(
        "    m.x_f__mutmut_1: killed\n    m.x_f__mutmut_2: survived\n"
        "    m.x_f__mutmut_3: survived\n    m.x_f__mutmut_4: survived\n"
        "    m.x_f__mutmut_5: no tests\n    m.x_f__mutmut_6: not checked\n"
        "    m.x_f__mutmut_7: segfault\n", encoding="utf-8")
    diff = "".join(f"# m.x_f__mutmut_{i}: survived\n--- a\n+++ a\n@@ -1 +1 @@\n"
                   f"-x = {i}\n+x = {i + 1}\n" for i in (2, 3, 4, 5))
    (tmp_path / "survivors.diff").write_text(diff, encoding="utf-8")
    (tmp_path / "recheck.txt").write_text("m.x_f__mutmut_2 killed\nm.x_f__mutmut_3 survived\n",
                                          encoding="utf-8")
    reasons = tmp_path / "r.tsv"
    reasons.write_text("# comment\nm.x_f__mutmut_3\tequivalent: because\n"
                       "m.x_f__mutmut_4\t**gap**: a test is missing\n", encoding="utf-8")
    assert tool.main([str(tmp_path), str(reasons), "--title", "t"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("## t\n")
    assert ("Checked 6 of 7 mutants: killed 3 (after the recheck), 1 survivors justified below, "
            "1 known gaps (a missing test), 1 not analysed: **66.7% killed or justified**") in out
    assert "| `f__mutmut_3` | `x = 3` → `x = 4` | equivalent: because |" in out
    assert "| `f__mutmut_5` | `x = 5` → `x = 6` | **not analysed** |" in out
    assert "mutmut_2`" not in out
