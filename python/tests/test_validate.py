"""mfgsim.validate and mfgsim.schema: what `mfgsim validate` and `mfgsim schema` say."""
import subprocess

import mfgsim
from conftest import BINARY, ROOT


def test_validate_gives_file_line_column_and_message():
    d = mfgsim.validate("scenarios/examples/unknown_top_level_key.yaml")
    assert d == [mfgsim.Diagnostic("scenarios/examples/unknown_top_level_key.yaml", 4, 1,
                                   "unknown key `lendng` (did you mean `lending`?)")]
    # The same text as the CLI prints.
    r = subprocess.run([BINARY, "validate", "scenarios/examples/unknown_top_level_key.yaml"], cwd=ROOT,
                       capture_output=True, text=True)
    assert r.returncode == 2
    assert r.stderr.strip() == f"{d[0].file}:{d[0].line}:{d[0].column}: error: {d[0].message}"


def test_validate_reports_every_problem_of_a_file():
    d = mfgsim.validate("scenarios/examples/syntax_tab.yaml")
    assert d and all(x.file == "scenarios/examples/syntax_tab.yaml" and x.line > 0 for x in d)


def test_a_valid_file_has_no_diagnostics():
    assert mfgsim.validate("scenarios/baseline.yaml") == []


def test_a_batch_file_is_validated_as_a_batch(tmp_path):
    # Found by a new user's trial: a valid batch file gave six scenario errors.
    assert mfgsim.validate("scenarios/batches/levers.yaml") == []
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nscenarios: [nope.yaml]\n")
    d = mfgsim.validate(bad)
    r = subprocess.run([BINARY, "validate", str(bad)], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 2
    assert len(d) == 1 and d[0].file == str(bad) and d[0].line == 2
    assert r.stderr.strip() == f"{d[0].file}:{d[0].line}:{d[0].column}: error: {d[0].message}"


def test_schema_is_scenarios_schema_md():
    assert mfgsim.schema() == (ROOT / "scenarios" / "SCHEMA.md").read_text()


def test_a_valid_files_warnings_are_given_as_the_cli_prints_them():
    # Found by a new user's trial: validate() returned [] and lost the warning
    # `mfgsim validate` prints for this file.
    import pytest
    with pytest.warns(mfgsim.ScenarioWarning) as caught:
        assert mfgsim.validate("scenarios/backtest_2019.yaml") == []
    r = subprocess.run([BINARY, "validate", "scenarios/backtest_2019.yaml"], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0
    cli_warnings = [line for line in r.stderr.splitlines() if ": warning: " in line]
    assert cli_warnings and [str(w.message) for w in caught] == cli_warnings


def test_an_empty_path_is_refused():
    import pytest
    with pytest.raises(ValueError, match="path must name a scenario or batch file, got ''"):
        mfgsim.validate("")
    with pytest.raises(ValueError, match="directory must name a results folder, got ''"):
        mfgsim.open_results("")
