"""What every browser test module shares: one headless Chromium per module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .sitebuild import chromium


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with chromium() as b:
        yield b
