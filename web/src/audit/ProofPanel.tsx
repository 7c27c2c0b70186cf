// One audit record's proof, checked here in the browser (proofCheck.ts): the current signed tree
// head (GET /audit/tree-head), the record's inclusion proof in the tree of that size (GET
// /audit/records/{seq}/proof?size=N), and what the check found: a ✓ or ✗ verdict with its
// reasons, the tree's size, root and signing time, the head's signature (or that this browser
// cannot check it), the record's leaf hash and the proof path, and the record as it was hashed.

import { useEffect, useId, useRef } from "react";
import { api } from "../api/client";
import type { AuditRecord, InclusionProof, TreeHead } from "../api/types";
import { useLoaded } from "../components/useLoaded";
import { useI18n } from "../i18n/I18n";
import type { StringKey } from "../i18n/strings";
import { webCryptoAvailable } from "./merkle";
import { checkProof } from "./proofCheck";
import type { ProofCheck, ProofProblem } from "./proofCheck";
import "./proof.css";

interface Props {
  record: AuditRecord;
  onClose: () => void;
}

interface Found {
  head: TreeHead;
  /** Null where this page has no Web Crypto to check with. */
  check: ProofCheck | null;
}

/** The words of a record field a proof's leaf differs in (the audit table's headers). */
const FIELD_WORDS: Record<string, StringKey> = {
  seq: "proof.seq",
  at: "audit.at",
  actor: "audit.actor",
  action: "audit.action",
  resource: "audit.resource",
  channel_id: "audit.channel",
  source: "audit.source",
  outcome: "audit.outcome",
  detail: "audit.detail",
};

async function find(record: AuditRecord): Promise<Found> {
  const head = await api<TreeHead>("/audit/tree-head");
  const proof = await api<InclusionProof>(`/audit/records/${record.seq}/proof?size=${head.size}`);
  return { head, check: webCryptoAvailable() ? await checkProof(head, proof, record) : null };
}

function Hash({ value }: { value: string | null }) {
  const { t } = useI18n();
  return value === null ? <span className="muted">{t("proof.none")}</span> : <code className="hash" translate="no">{value}</code>;
}

export function ProofPanel({ record, onClose }: Props) {
  const { t } = useI18n();
  const titleId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const found = useLoaded(() => find(record), [record.seq]);
  useEffect(() => heading.current?.focus(), [record.seq]);
  const check = found.value?.check ?? null;

  return (
    <section
      className="audit-proof"
      aria-labelledby={titleId}
      data-testid="audit-proof"
      data-seq={record.seq}
      data-verdict={check?.verdict ?? ""}
      data-signature={check?.signature ?? ""}
    >
      <div className="toolbar">
        <h3 id={titleId} ref={heading} tabIndex={-1}>{t("proof.title", { seq: record.seq })}</h3>
        <button type="button" onClick={onClose}>{t("proof.close")}</button>
      </div>
      <p className="muted">{t("proof.hint")}</p>
      {found.error !== null && <p className="error" role="alert">{t("error.withDetail", { detail: found.error })}</p>}
      {found.value === null && found.error === null && <p role="status">{t("proof.checking")}</p>}
      {found.value !== null && check === null && <p className="error" role="alert">{t("proof.noCrypto")}</p>}
      {found.value !== null && check !== null && <Checked head={found.value.head} check={check} />}
    </section>
  );
}

function Checked({ head, check }: { head: TreeHead; check: ProofCheck }) {
  const { t, time } = useI18n();
  const problem = (p: ProofProblem) =>
    p === "leafRecord"
      ? t("proof.problem.leafRecord", { fields: check.differs.map((f) => (f in FIELD_WORDS ? t(FIELD_WORDS[f]) : f)).join("、") })
      : t(`proof.problem.${p}`);
  // What was signed, where the signed text reads; else what the server said alongside it.
  const signed = check.head ?? { size: head.size, root: head.root, timestamp: head.timestamp };
  return (
    <>
      <p className={`proof-verdict ${check.verdict}`} role="status" data-testid="proof-verdict">
        {t(`proof.verdict.${check.verdict}`)}
      </p>
      {check.problems.length > 0 && (
        <ul className="proof-problems error" role="alert">
          {check.problems.map((p) => (
            <li key={p} data-problem={p}>{problem(p)}</li>
          ))}
        </ul>
      )}
      <dl className="proof-facts">
        <dt>{t("proof.size")}</dt>
        <dd data-testid="proof-size">{signed.size}</dd>
        <dt>{t("proof.root")}</dt>
        <dd data-testid="proof-root"><Hash value={signed.root} /></dd>
        <dt>{t("proof.computed")}</dt>
        <dd data-testid="proof-computed"><Hash value={check.computedRoot} /></dd>
        <dt>{t("proof.time")}</dt>
        <dd><time dateTime={signed.timestamp}>{time(signed.timestamp)}</time></dd>
        <dt>{t("proof.signature")}</dt>
        <dd className={`proof-signature ${check.signature}`} data-testid="proof-signature">{t(`proof.signature.${check.signature}`)}</dd>
        <dt>{t("proof.publicKey")}</dt>
        <dd><Hash value={head.public_key} /></dd>
        <dt>{t("proof.index")}</dt>
        <dd>{check.index}</dd>
        <dt>{t("proof.leafHash")}</dt>
        <dd data-testid="proof-leaf-hash"><Hash value={check.leafHash} /></dd>
      </dl>
      <h4>{t("proof.path", { n: check.path.length })}</h4>
      {check.path.length > 0 ? (
        <ol className="proof-path" data-testid="proof-path">
          {check.path.map((node, i) => (
            <li key={i}><Hash value={node} /></li>
          ))}
        </ol>
      ) : (
        <p className="muted">{t("proof.pathEmpty")}</p>
      )}
      {check.leafText !== null && (
        <details>
          <summary>{t("proof.leaf")}</summary>
          <code className="proof-leaf" translate="no">{check.leafText}</code>
        </details>
      )}
    </>
  );
}
