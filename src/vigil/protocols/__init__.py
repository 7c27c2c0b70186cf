"""Sans-I/O codecs and state machines for the protocols Vigil speaks.

Nothing in this package opens a socket, reads a clock or imports the rest of Vigil: bytes go in,
typed events come out (the model is h11). Everything networked is built on top of it.
"""
