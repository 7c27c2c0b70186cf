// What a live view says of its privacy masks, on the picture: "masked (N)" when the server drew
// N masks over it, or "unmasked under approval #N" when an approved unmask lifted them (with
// how many permanent ones it kept). Nothing for a channel without masks.

import { useI18n } from "../i18n/I18n";

export interface Masking {
  /** How many masks are drawn over the view (after an unmask: the permanent ones). */
  masks: number;
  unmasked: boolean;
}

export function MaskBadge({ masking, approval }: { masking: Masking; approval: number | null }) {
  const { t } = useI18n();
  if (masking.unmasked) {
    return (
      <span className="player-mask unmasked" role="status" data-testid="mask-badge" data-unmasked={approval ?? ""}>
        {t("player.unmasked", { id: approval ?? "—" })}
        {masking.masks > 0 ? t("player.unmaskedKept", { count: masking.masks }) : ""}
      </span>
    );
  }
  if (masking.masks === 0) return null;
  return (
    <span
      className="player-mask"
      role="status"
      data-testid="mask-badge"
      data-masks={masking.masks}
      title={t("player.maskedTitle", { count: masking.masks })}
    >
      {t("player.masked", { count: masking.masks })}
    </span>
  );
}
