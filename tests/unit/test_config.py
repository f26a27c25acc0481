import os
import stat
import subprocess
import sys

import pytest

from inbox_tui.config import ConfigError
from inbox_tui.config.edit import write_starter_config
from inbox_tui.config.load import load_config

GOOD = """
[ayrshare]
api_key = "sk-file-key"
base_url = "http://127.0.0.1:8765/api"
x_api_key = "xk"
x_api_secret = "xs"

[[profiles]]
name = "Primary"
platforms = ["facebook", "twitter"]

[[profiles]]
name = "Acme Coffee"
profile_key = "pk-acme"
platforms = ["facebook", "instagram"]
"""


def write(tmp_path, text):
    path = tmp_path / "config.toml"
    path.write_text(text)
    return path


def test_good_config(tmp_path):
    config = load_config(write(tmp_path, GOOD), environ={})
    assert config.ayrshare.api_key.get_secret_value() == "sk-file-key"
    assert [p.name for p in config.profiles] == ["Primary", "Acme Coffee"]
    assert config.profiles[1].profile_key.get_secret_value() == "pk-acme"
    assert "pk-acme" not in repr(config)  # secrets never print


def test_env_key_overrides_file_key(tmp_path):
    config = load_config(write(tmp_path, GOOD), environ={"AYRSHARE_API_KEY": "sk-env"})
    assert config.ayrshare.api_key.get_secret_value() == "sk-env"


def test_config_path_from_env(tmp_path):
    path = write(tmp_path, GOOD)
    assert load_config(environ={"INBOX_TUI_CONFIG": str(path)}).profiles[0].name == "Primary"


def test_missing_file_says_how_to_create_one(tmp_path):
    with pytest.raises(ConfigError, match="inbox-tui init") as caught:
        load_config(tmp_path / "nope.toml", environ={})
    assert str(tmp_path / "nope.toml") in str(caught.value)


def test_invalid_toml_names_the_file_and_line(tmp_path):
    path = write(tmp_path, "[ayrshare\napi_key = 1\n")
    with pytest.raises(ConfigError, match=r"not valid TOML.*line 1") as caught:
        load_config(path, environ={})
    assert str(path) in str(caught.value)


@pytest.mark.parametrize(
    "edit, key, words",
    [
        (
            ('platforms = ["facebook", "twitter"]', 'platforms = ["facebok"]'),
            "profiles[0].platforms[0]",
            "one of",
        ),
        (('name = "Primary"', 'nmae = "Primary"'), "profiles[0].nmae", "not a known key"),
        (
            ("http://127.0.0.1:8765/api", "http://api.example.com/api"),
            "ayrshare.base_url",
            "https://",
        ),
        (('name = "Acme Coffee"', 'name = "Primary"'), "profiles", "two profiles are named"),
    ],
)
def test_invalid_values_name_the_key(tmp_path, edit, key, words):
    path = write(tmp_path, GOOD.replace(*edit))
    with pytest.raises(ConfigError) as caught:
        load_config(path, environ={})
    message = str(caught.value)
    assert str(path) in message and key in message and words in message


@pytest.mark.parametrize(
    "keys, words",
    [
        ('archiv = "a"', "'archiv' is not a binding id; the ids are: archive,"),
        ('archive = "ctl+a"', "archive: 'ctl' is not a modifier"),
        ('archive = "shiny"', "archive: 'shiny' is not a key name"),
        ('archive = "u"', "'u' is given to both archive and toggle_read in the app"),
        ('search = "?"', "'question_mark' is given to both search and help"),
        ('archive = "_"\ntoggle_read = "underscore"', "is given to both archive and toggle_read"),
        ('archive = ""', 'archive: give keys as a string, e.g. "a"'),
    ],
)
def test_keys_are_checked_with_the_fix_in_plain_words(tmp_path, keys, words):
    path = write(tmp_path, f"[keys]\n{keys}\n{GOOD}")
    with pytest.raises(ConfigError) as caught:
        load_config(path, environ={})
    message = str(caught.value)
    assert str(path) in message and "keys" in message and words in message


def test_keys_that_free_a_key_first_are_taken(tmp_path):
    path = write(tmp_path, f'theme = "nord"\n[keys]\narchive = "u"\ntoggle_read = "m"\n{GOOD}')
    config = load_config(path, environ={})
    assert config.keys == {"archive": "u", "toggle_read": "m"} and config.theme == "nord"


def test_missing_api_key_says_where_to_put_it(tmp_path):
    path = write(tmp_path, GOOD.replace('api_key = "sk-file-key"\n', ""))
    with pytest.raises(ConfigError, match="AYRSHARE_API_KEY"):
        load_config(path, environ={})


def test_https_and_loopback_urls_are_allowed(tmp_path):
    for url in ("https://api.ayrshare.com/api", "http://localhost:9/api", "http://[::1]:9/api"):
        config = load_config(
            write(tmp_path, GOOD.replace("http://127.0.0.1:8765/api", url)), environ={}
        )
        assert config.ayrshare.base_url == url


def test_init_writes_0600_and_never_overwrites(tmp_path):
    path = tmp_path / "sub" / "config.toml"
    write_starter_config(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    before = path.read_text()
    assert "[[profiles]]" in before
    with pytest.raises(ConfigError, match="already exists"):
        write_starter_config(path)
    assert path.read_text() == before
    assert [p.name for p in tmp_path.joinpath("sub").iterdir()] == ["config.toml"]  # no temp left


def test_cli_reports_a_broken_config_without_a_traceback(tmp_path):
    path = write(tmp_path, GOOD.replace('name = "Primary"', 'name = ""'))
    result = subprocess.run(
        [sys.executable, "-m", "inbox_tui", "--config", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert str(path) in result.stderr and "profiles[0].name" in result.stderr


def test_a_broken_config_creates_no_store_and_no_directories(tmp_path):
    """16.10: the store is made only after the config has validated."""
    import os

    path = write(tmp_path, GOOD.replace('name = "Primary"', 'name = ""'))
    home = tmp_path / "home"
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "data")}
    for _ in range(2):  # the second run takes the quick path
        result = subprocess.run(
            [sys.executable, "-m", "inbox_tui", "--config", str(path)],
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
        )
        assert result.returncode == 2 and "profiles[0].name" in result.stderr
    assert not home.exists()


def test_the_directories_the_app_makes_are_private(tmp_path):
    from inbox_tui.store import Store

    Store(tmp_path / "a" / "b" / "inbox.sqlite3").close()
    assert (tmp_path / "a").stat().st_mode & 0o777 == 0o700
    assert (tmp_path / "a" / "b").stat().st_mode & 0o777 == 0o700


def test_an_unwritable_log_is_a_clear_message(tmp_path):
    path = write(tmp_path, GOOD)
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = subprocess.run(
        [sys.executable, "-m", "inbox_tui", "--config", str(path), "--log", str(blocker / "x.log")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "cannot write the log" in result.stderr


def test_cli_init_then_refuses_to_overwrite(tmp_path):
    path = tmp_path / "c.toml"
    first = subprocess.run(
        [sys.executable, "-m", "inbox_tui", "init", "--config", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    again = subprocess.run(
        [sys.executable, "-m", "inbox_tui", "init", "--config", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert first.returncode == 0 and "0600" in first.stdout
    assert again.returncode == 2 and "never overwrites" in again.stderr


def test_quick_read_gives_names_and_store_and_a_fingerprint_of_bytes_and_key(tmp_path):
    from inbox_tui.config.paths import quick_read

    path = write(tmp_path, 'store_path = "/data/inbox.sqlite3"\n' + GOOD)
    quick = quick_read(path, environ={})
    assert quick.profile_names == ("Primary", "Acme Coffee")
    assert str(quick.store_file()) == "/data/inbox.sqlite3"
    assert quick_read(path, environ={}).fingerprint == quick.fingerprint
    assert quick_read(path, environ={"AYRSHARE_API_KEY": "k2"}).fingerprint != quick.fingerprint
    path.write_text(GOOD.replace("Acme Coffee", "Acme Tea"))
    assert quick_read(path, environ={}).fingerprint != quick.fingerprint


@pytest.mark.parametrize(
    "text",
    [
        "not toml [",
        GOOD.replace('api_key = "sk-file-key"', 'api_key_command = "pass show ayrshare"'),
        GOOD.replace('name = "Primary"', "name = 7"),
        "[ayrshare]\n",
    ],
)
def test_quick_read_declines_what_needs_the_full_validation(tmp_path, text):
    from inbox_tui.config.paths import quick_read

    assert quick_read(write(tmp_path, text), environ={}) is None


META = """
[[profiles]]
name = "Bakery"
provider = "meta"
page_id = "104000000000777"
platforms = ["messenger", "instagram"]
access_token_env = "BAKERY_TOKEN"
"""


def test_a_meta_profile_takes_its_token_from_the_environment_and_needs_no_ayrshare_key(tmp_path):
    config = load_config(write(tmp_path, META), environ={"BAKERY_TOKEN": "EAAG-secret-7f3a"})
    assert config.profiles[0].access_token.get_secret_value() == "EAAG-secret-7f3a"
    assert "7f3a" not in repr(config) and "7f3a" not in config.model_dump_json()
    with pytest.raises(ConfigError) as missing:
        load_config(write(tmp_path, META), environ={})
    assert "profiles[0].access_token_env names BAKERY_TOKEN, which is not set" in str(missing.value)


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (('access_token_env = "BAKERY_TOKEN"', 'access_token = "EAAB..."'), "must not be written"),
        (('page_id = "104000000000777"\n', ""), "needs page_id"),
        (('"instagram"]', '"twitter"]'), "not twitter"),
        (('provider = "meta"\n', ""), 'for provider = "meta" profiles'),
    ],
)
def test_meta_profile_mistakes_are_named(tmp_path, change, said):
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, META.replace(*change)), environ={"BAKERY_TOKEN": "t"})
    assert said in str(caught.value) and "profiles[0]" in str(caught.value)


def test_the_quick_read_carries_the_keys_and_theme_for_the_first_frame(tmp_path):
    from inbox_tui.config.paths import quick_read

    path = write(tmp_path, f'theme = "nord"\n[keys]\narchive = "a"\n{GOOD}')
    quick = quick_read(path, environ={})
    assert quick is not None and quick.theme == "nord" and quick.keys == {"archive": "a"}
    odd = write(tmp_path, f"theme = 3\n{GOOD}")
    assert quick_read(odd, environ={}) is None  # anything unusual: the full validation first


def test_the_keymaps_key_names_are_textuals():
    """The config's check spells keys as Textual does without importing it: kept in step."""
    from textual.keys import KEY_NAME_REPLACEMENTS

    from inbox_tui.keymap import _SHORTENED

    assert _SHORTENED == KEY_NAME_REPLACEMENTS


def test_a_profiles_colour_is_read_quickly_and_checked_whole(tmp_path):
    from inbox_tui.config.in_use import ConfigInUse
    from inbox_tui.config.paths import quick_read

    coloured = GOOD.replace('profile_key = "pk-acme"', 'profile_key = "pk-acme"\ncolor = "#c0ffee"')
    path = write(tmp_path, coloured)
    assert ConfigInUse(quick_read(path, environ={}), path).colors == {"Acme Coffee": "#c0ffee"}
    assert ConfigInUse(load_config(path), path).colors == {"Acme Coffee": "#c0ffee"}
    path.write_text(coloured.replace("#c0ffee", "light blue!"))
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    assert 'profiles[1].color: must be a colour name such as "darkorange"' in str(raised.value)


def test_a_muted_brand_must_be_a_profile(tmp_path):
    path = write(tmp_path, GOOD + '\n[notifications]\nmute = ["Acme Cofee"]\n')
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    assert "notifications.mute names 'Acme Cofee', which is not a profile" in str(raised.value)
    assert "Primary, Acme Coffee" in str(raised.value)
    path.write_text(GOOD + '\n[notifications]\nmute = ["Acme Coffee"]\n')
    assert load_config(path).notifications.mute == ["Acme Coffee"]
