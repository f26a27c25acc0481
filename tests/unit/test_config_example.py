from pathlib import Path

from inbox_tui.config import load_config

EXAMPLE = Path(__file__).parents[2] / "config.example.toml"


def test_the_example_config_is_valid():
    config = load_config(EXAMPLE, environ={})
    assert [p.name for p in config.profiles] == ["Primary", "Acme Coffee"]
    assert config.sync.background_interval_seconds == 300
