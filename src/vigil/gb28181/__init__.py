"""The GB/T 28181 server: SIP endpoint, registrations, presence, catalogs, alarms, positions.

:class:`GbService` is the entry point; see its module for how other services talk to devices.
"""

from vigil.gb28181.service import GbService
from vigil.gb28181.sip.transactions import TransactionTimeout

__all__ = ["GbService", "TransactionTimeout"]
