"""docs/setup.md documents every environment variable that config/settings.py reads."""

import re
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)


def test_every_environment_variable_of_the_settings_is_documented():
    source = (BASE_DIR / "config" / "settings.py").read_text()
    variables = set(re.findall(r'env_(?:str|bool|int|list)\(\s*"([A-Z0-9_]+)"', source))
    assert variables, "found no env_* calls in config/settings.py"
    documented = (BASE_DIR / "docs" / "setup.md").read_text()
    missing = sorted(name for name in variables if f"`{name}`" not in documented)
    assert not missing, f"add these to the tables in docs/setup.md: {missing}"
