"""The code tables of GB/T 28181 coding rule A (2016 Annex D, 2022 Annex E).

Rows added by the 2022 edition carry ``Edition.GB2022``; everything else is already in 2016 (and
mostly in 2011). Sources and the rows we are unsure of are listed in docs/protocols/gbid.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, StrEnum

__all__ = [
    "CATEGORY_RANGES",
    "INDUSTRIES",
    "INDUSTRY_GROUPS",
    "NETWORKS",
    "TYPE_CODES",
    "TYPE_GROUPS",
    "Category",
    "Edition",
    "TypeRow",
]


class Edition(IntEnum):
    """The edition of GB/T 28181 a table row comes from (X-GB-Ver 2.0 is 2016, 3.0 is 2022)."""

    GB2016 = 2016
    GB2022 = 2022


class Category(StrEnum):
    """The type-code ranges of Table D.1 / E.1."""

    FRONT_END_DEVICE = "front-end device"  # 111-130 前端主设备
    PERIPHERAL = "front-end peripheral"  # 131-199 前端外围设备
    PLATFORM = "platform device"  # 200-299 平台设备
    CENTRAL_USER = "central user"  # 300-399 中心用户
    TERMINAL_USER = "terminal user"  # 400-499 终端用户
    EXTERNAL_SERVER = "platform external server"  # 500-599 平台外接服务器
    EXTENSION = "extension"  # 600-999 扩展类型


CATEGORY_RANGES: tuple[tuple[int, int, Category], ...] = (
    (111, 130, Category.FRONT_END_DEVICE),
    (131, 199, Category.PERIPHERAL),
    (200, 299, Category.PLATFORM),
    (300, 399, Category.CENTRAL_USER),
    (400, 499, Category.TERMINAL_USER),
    (500, 599, Category.EXTERNAL_SERVER),
    (600, 999, Category.EXTENSION),
)


@dataclass(frozen=True, slots=True)
class TypeRow:
    """One named type code."""

    name: str
    name_zh: str
    edition: Edition = Edition.GB2016


_NEW = Edition.GB2022

TYPE_CODES: dict[int, TypeRow] = {
    111: TypeRow("DVR", "DVR"),
    112: TypeRow("video server", "视频服务器"),
    113: TypeRow("encoder", "编码器"),
    114: TypeRow("decoder", "解码器"),
    115: TypeRow("video switching matrix", "视频切换矩阵"),
    116: TypeRow("audio switching matrix", "音频切换矩阵"),
    117: TypeRow("alarm controller", "报警控制器"),
    118: TypeRow("network video recorder (NVR)", "网络视频录像机(NVR)"),
    120: TypeRow("online video image acquisition system", "在线视频图像信息采集系统", _NEW),
    121: TypeRow("video checkpoint", "视频卡口", _NEW),
    122: TypeRow("multi-lens device", "多目设备", _NEW),
    123: TypeRow("parking entrance control device", "停车场出入口控制设备", _NEW),
    124: TypeRow("pedestrian entrance control device", "人员出入口控制设备", _NEW),
    125: TypeRow("security inspection device", "安检设备", _NEW),
    130: TypeRow("hybrid video recorder (HVR)", "混合硬盘录像机(HVR)"),
    131: TypeRow("camera", "摄像机"),
    132: TypeRow("IP camera (IPC)", "网络摄像机(IPC)"),
    133: TypeRow("display", "显示器"),
    134: TypeRow("alarm input device", "报警输入设备"),
    135: TypeRow("alarm output device", "报警输出设备"),
    136: TypeRow("audio input device", "语音输入设备"),
    137: TypeRow("audio output device", "语音输出设备"),
    138: TypeRow("mobile transmission device", "移动传输设备"),
    139: TypeRow("other peripheral", "其他外围设备"),
    140: TypeRow("relay-driven alarm output device", "报警输出设备(继电器或触发器控制)", _NEW),
    141: TypeRow("barrier gate", "道闸", _NEW),
    142: TypeRow("smart door", "智能门", _NEW),
    143: TypeRow("credential recognition unit", "凭证识别单元", _NEW),
    200: TypeRow("central signalling control server", "中心信令控制服务器"),
    201: TypeRow("web application server", "Web应用服务器"),
    202: TypeRow("media distribution server", "媒体分发服务器"),
    203: TypeRow("proxy server", "代理服务器"),
    204: TypeRow("security server", "安全服务器"),
    205: TypeRow("alarm server", "报警服务器"),
    206: TypeRow("database server", "数据库服务器"),
    207: TypeRow("GIS server", "GIS服务器"),
    208: TypeRow("management server", "管理服务器"),
    209: TypeRow("access gateway", "接入网关"),
    210: TypeRow("media storage server", "媒体存储服务器"),
    211: TypeRow("signalling security routing gateway", "信令安全路由网关"),
    215: TypeRow("business group", "业务分组"),
    216: TypeRow("virtual organisation", "虚拟组织"),
    300: TypeRow("central user", "中心用户"),
    400: TypeRow("terminal user", "终端用户"),
    500: TypeRow(
        "video application platform signalling server", "视频图像信息综合应用平台信令服务器"
    ),
    501: TypeRow("video O&M platform signalling server", "视频图像信息运维管理平台信令服务器"),
    502: TypeRow("video image analysis system", "视频图像分析系统", _NEW),
    503: TypeRow("video image information database", "视频图像信息数据库", _NEW),
    505: TypeRow("video image analysis device", "视频图像分析设备", _NEW),
}

# Codes inside a category that the table leaves open: (first, last, name, name_zh).
TYPE_GROUPS: tuple[tuple[int, int, str, str], ...] = (
    (301, 343, "industry role user", "行业角色用户"),
    (401, 443, "industry role user", "行业角色用户"),
)

# Table D.3 (2016) / E.3 (2022) groups, then the named rows of each edition.
INDUSTRY_GROUPS: tuple[tuple[int, int, str], ...] = (
    (0, 39, "government"),
    (40, 79, "enterprise or institution"),
    (80, 89, "self-built by residents"),
    (90, 99, "other"),
)

_INDUSTRIES_COMMON: dict[str, str] = {
    "00": "public security: road",
    "01": "public security: community",
    "02": "public security: internal",
    "03": "public security: other",
    "04": "traffic: road",
    "05": "traffic: checkpoint",
    "06": "traffic: internal",
    "07": "traffic: other",
    "08": "city management",
    "09": "health and environment",
    "10": "inspection and customs",
    "11": "education",
}

INDUSTRIES: dict[Edition, dict[str, str]] = {
    Edition.GB2016: {
        **_INDUSTRIES_COMMON,
        "40": "agriculture, forestry, husbandry, fishery",
        "41": "mining",
        "42": "manufacturing",
        "43": "metallurgy",
        "44": "electric power",
        "45": "gas",
        "46": "construction",
        "47": "logistics",
        "48": "postal",
        "49": "information",
        "50": "hospitality and catering",
        "51": "finance",
        "52": "real estate",
        "53": "business services",
        "54": "water conservancy",
        "55": "entertainment",
    },
    Edition.GB2022: {
        **_INDUSTRIES_COMMON,
        "12": "civil aviation",
        "13": "railway",
        "14": "shipping",
        "40": "agriculture, forestry, husbandry, fishery",
        "41": "mining",
        "42": "manufacturing",
        "43": "electricity, heat, gas and water supply",
        "44": "construction",
        "45": "wholesale and retail",
    },
}

# Table D.1/E.1 network identifier (the 14th digit).
NETWORKS: dict[Edition, tuple[str, ...]] = {
    Edition.GB2016: (
        *("monitoring and alarm private network",) * 5,
        "public security information network",
        "government network",
        "Internet",
        "social resource access network",
        "reserved",
    ),
    Edition.GB2022: (
        *("public security video transmission network",) * 2,
        "industry private network",
        "political and legal information network",
        "public security mobile information network",
        "public security information network",
        "e-government extranet",
        "Internet or other public network",
        "dedicated line",
        "reserved",
    ),
}
