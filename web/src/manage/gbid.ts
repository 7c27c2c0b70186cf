// The server's ID rules (vigil.catalog.ids over vigil.protocols.gbid), mirrored so a form says
// what is wrong before it is sent. The server checks again; its problem+json detail is shown too.

import type { StringKey } from "../i18n/strings";

export interface RuleError {
  key: StringKey;
  params: Record<string, string | number>;
}

const DIGITS = /^[0-9]+$/;

function gbid(value: string): RuleError | number {
  if (value.length !== 20) return { key: "rule.idLength", params: { n: value.length } };
  if (!DIGITS.test(value)) return { key: "rule.idDigits", params: {} };
  const type = Number(value.slice(10, 13));
  if (type < 111) return { key: "rule.typeUndefined", params: { type: value.slice(10, 13) } };
  return type;
}

/** Devices: type 111–199, or 200 for a lower platform. */
export function checkDeviceId(value: string): RuleError | null {
  const type = gbid(value);
  if (typeof type !== "number") return type;
  if (type <= 199 || type === 200) return null;
  return { key: "rule.deviceType", params: { type: value.slice(10, 13) } };
}

/** Channels: front-end and peripheral devices, type 131–199. */
export function checkChannelId(value: string): RuleError | null {
  const type = gbid(value);
  if (typeof type !== "number") return type;
  if (type >= 131 && type <= 199) return null;
  return { key: "rule.channelType", params: { type: value.slice(10, 13) } };
}

/** Regions are keyed by civil code: 2, 4, 6 or 8 digits. */
export function checkRegionCode(value: string): RuleError | null {
  return DIGITS.test(value) && [2, 4, 6, 8].includes(value.length)
    ? null
    : { key: "rule.regionCode", params: {} };
}

/** Departments and industries: 1 to 20 digits. */
export function checkOrgId(value: string): RuleError | null {
  return DIGITS.test(value) && value.length <= 20 ? null : { key: "rule.orgId", params: {} };
}
