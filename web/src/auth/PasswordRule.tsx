// The password rule as the server enforces it (GET /auth/password-policy), stated in the
// console's language from its code and figures; the generic hint while it loads or if it fails.

import { useEffect, useState } from "react";
import { api } from "../api/client";
import type { Answer } from "../api/types";
import { useI18n } from "../i18n/I18n";
import { reasonText } from "../i18n/problems";

type Policy = Pick<Answer<"/api/v1/auth/password-policy">, "code" | "params">;

export function PasswordRule() {
  const { t } = useI18n();
  const [policy, setPolicy] = useState<Policy | null>(null);
  useEffect(() => {
    let live = true;
    api<Policy>("/auth/password-policy").then(
      (loaded) => live && setPolicy(loaded),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  return (
    <p className="muted" data-testid="password-rule">
      {policy ? reasonText(t, policy.code, policy.params, "password.hint") : t("password.hint")}
    </p>
  );
}
