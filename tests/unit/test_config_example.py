from pathlib import Path

from inbox_tui.config.load import load_config
from inbox_tui.domain import Platform

EXAMPLE = Path(__file__).parents[2] / "inbox_tui" / "config" / "example.toml"


def test_the_example_config_is_valid():
    config = load_config(EXAMPLE, environ={"FJORD_PAGE_TOKEN": "token-from-the-env"})
    assert [p.name for p in config.profiles] == ["Primary", "Acme Coffee", "Fjord Bakery"]
    assert config.sync.background_interval_seconds == 300
    fjord = config.profiles[2]
    assert fjord.provider == "meta" and fjord.platforms == [Platform.FACEBOOK, Platform.INSTAGRAM]
    assert fjord.access_token.get_secret_value() == "token-from-the-env"
    assert config.meta.poll_seconds == 60
