"""Whole-number settings (batch sizes, snapshot weeks) refuse anything but a whole number of
at least 1, naming the setting; unset, they take their default."""

from __future__ import annotations

import pytest

from app.core.config import whole_setting
from app.queries import inbox
from app.services.certification import time_pass


@pytest.mark.parametrize("value", [0, -3, "2000", 2.5, True])
@pytest.mark.parametrize("name, read", [("ONEVOICE_INBOX_BATCH", inbox.batch_size),
                                        ("ONEVOICE_TIME_PASS_BATCH", time_pass.batch_size)])
def test_a_bad_batch_setting_is_named(app, name, read, value):
    app.config[name] = value
    with app.app_context(), pytest.raises(ValueError, match=f"setting {name}="):
        read()


def test_a_good_setting_and_the_default(app):
    with app.app_context():
        app.config["ONEVOICE_INBOX_BATCH"] = 37
        assert inbox.batch_size() == 37
        app.config.pop("ONEVOICE_TIME_PASS_BATCH", None)
        assert time_pass.batch_size() == time_pass.DEFAULT_BATCH
        assert whole_setting("ONEVOICE_NOT_A_SETTING", 5) == 5
        with pytest.raises(ValueError, match="at least 1"):
            whole_setting("ONEVOICE_NOT_A_SETTING")
