"""Print the SIP routing table: ``python -m vigil.gb28181.sip``."""

from vigil.gb28181.sip.routes import render

print(render())  # noqa: T201
