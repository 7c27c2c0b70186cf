"""The SIP side of the GB/T 28181 server: endpoint, transactions, routing, who may speak.

* :mod:`.transport` — the UDP+TCP endpoint, bytes to messages, bounded;
* :mod:`.transactions` — the RFC 3261 transaction machines on the loop;
* :mod:`.messages` — MANSCDP bodies routed by (root, CmdType) and awaited answers;
* :mod:`.origin`, :mod:`.refusals`, :mod:`.throttle`, :mod:`.budget` — who may speak for a
  device, and how refused input is counted, logged and audited within a budget;
* :mod:`.tcp_limits` — how many TCP connections a node accepts.
"""
