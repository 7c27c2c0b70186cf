// The words of tracks' attributes (vehicle type and colour, clothing colours) and of the search's
// attribute filters (kept apart from strings.ts, which spreads them in). The colours are the
// palette of vigil.analytics.attributes: the vehicle body colours of GA 24.8, and orange.

import type { Entry } from "./entry";

export const ATTRIBUTE_STRINGS = {
  "attributes.colour.black": { zh: "黑色", en: "black" },
  "attributes.colour.white": { zh: "白色", en: "white" },
  "attributes.colour.grey": { zh: "灰色", en: "grey" },
  "attributes.colour.red": { zh: "红色", en: "red" },
  "attributes.colour.orange": { zh: "橙色", en: "orange" },
  "attributes.colour.yellow": { zh: "黄色", en: "yellow" },
  "attributes.colour.green": { zh: "绿色", en: "green" },
  "attributes.colour.blue": { zh: "蓝色", en: "blue" },
  "attributes.colour.purple": { zh: "紫色", en: "purple" },
  "attributes.colour.pink": { zh: "粉色", en: "pink" },
  "attributes.colour.brown": { zh: "棕色", en: "brown" },
  "attributes.colour.unknown": { zh: "未知", en: "unknown" },
  "attributes.type.car": { zh: "小型车", en: "car" },
  "attributes.type.bus": { zh: "客车", en: "bus" },
  "attributes.type.truck": { zh: "货车", en: "truck" },
  "attributes.type.motorcycle": { zh: "摩托车", en: "motorcycle" },
  "attributes.type.bicycle": { zh: "自行车", en: "bicycle" },
  "attributes.vehicle": { zh: "{type} · 车身{colour}", en: "{colour} {type}" },
  "attributes.person": { zh: "上衣{upper} · 下装{lower}", en: "top {upper}, bottom {lower}" },

  "search.attributes": { zh: "特征", en: "Attributes" },
  "search.colour": { zh: "车身颜色", en: "Body colour" },
  "search.upperColour": { zh: "上衣颜色", en: "Top colour" },
  "search.lowerColour": { zh: "下装颜色", en: "Bottom colour" },
  "search.anyColour": { zh: "不限", en: "Any" },
  "search.problem.colour": { zh: "请从列表中选择颜色", en: "Choose a colour from the list" },
} satisfies Record<string, Entry>;
