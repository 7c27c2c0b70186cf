"""GB/T 28181 cascade: Vigil as the lower platform of configured upper platforms.

* :mod:`.shares` — which channels (and which tree) an upper platform may see, under which IDs;
* :mod:`.dispatch` — routes requests arriving from a configured upper platform away from the
  device code in ``GbService`` to the handlers registered for them;
* :mod:`.links` — one registration client per enabled upper platform (digest, keepalive,
  re-register with back-off) and its live state;
* :mod:`.responder` — answers the upper platform's queries and subscriptions about the shared tree.
"""
