"""The GB/T 28181 node factory, for the tests whose alarms come from a device over SIP."""

from tests.integration.gb28181.conftest import gb_factory

__all__ = ["gb_factory"]
