"""docs/setup.md documents every environment variable that the settings (config/settings/) read."""

import re
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)


def test_every_environment_variable_of_the_settings_is_documented():
    modules = sorted((BASE_DIR / "config" / "settings").glob("*.py"))
    source = "\n".join(module.read_text() for module in modules)
    variables = set(re.findall(r'env_(?:str|bool|int|list)\(\s*"([A-Z0-9_]+)"', source))
    assert variables, "found no env_* calls in config/settings/"
    documented = (BASE_DIR / "docs" / "setup.md").read_text()
    missing = sorted(name for name in variables if f"`{name}`" not in documented)
    assert not missing, f"add these to the tables in docs/setup.md: {missing}"
