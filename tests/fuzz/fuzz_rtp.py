"""Fuzz the RTP side: RTP and RTCP parsers raise only RtpError; the RFC 4571 framer never raises."""

import sys

import atheris

with atheris.instrument_imports():
    from vigil.protocols.errors import RtpError
    from vigil.protocols.rtcp import parse_rtcp, serialize_rtcp
    from vigil.protocols.rtp import RtpPacket, parse_rtp_header
    from vigil.protocols.rtp_framing import Rfc4571Framer


def test_one_input(data: bytes) -> None:
    try:
        packet = RtpPacket.parse(data)
        assert parse_rtp_header(data)[:3] == (packet.sequence_number, packet.timestamp, packet.ssrc)
        assert RtpPacket.parse(bytes(packet)) == packet
    except RtpError:
        pass
    try:
        parsed = parse_rtcp(data)
        assert parse_rtcp(serialize_rtcp(parsed)) == parsed
    except RtpError:
        pass
    framer = Rfc4571Framer()
    step = 1 + (data[0] % 64 if data else 0)
    for at in range(0, len(data), step):
        for packet_bytes in framer.feed(data[at : at + step]):
            assert packet_bytes[0] >> 6 == 2


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
