// One audit record's proof, checked in the browser against a signed tree head: the record's leaf
// (its canonical bytes) hashed, its audit path walked up to a root (merkle.ts), that root and
// the tree size compared with what the head's signed text says, the head's Ed25519 signature
// checked (treeHead.ts), and the leaf read back and compared with the record on screen, so that
// what is proven is the row the auditor opened. The verdict is "verified" only when all hold;
// "unsigned" when all that could be checked holds but the browser cannot check the signature.
// GET /audit/tree-head, GET /audit/records/{seq}/proof?size=N give the inputs.

import type { AuditRecord, InclusionProof, TreeHead } from "../api/types";
import { fromBase64, fromHex, leafHash, rootFromInclusion, toHex } from "./merkle";
import type { Bytes } from "./merkle";
import { microsOf, parseHead, verifyEd25519 } from "./treeHead";
import type { HeadText, SignatureCheck } from "./treeHead";

/** Why a proof fails, each a string key suffix (proof.problem.*). */
export type ProofProblem =
  | "headForm" // the signed bytes are not a tree head's text
  | "headFields" // the head's size, root or time differ from its signed text
  | "signature" // the signature is not the public key's over the signed text
  | "size" // the proof is for another tree size than the head's
  | "path" // the audit path leads to no root, or to another root than the head's
  | "leafForm" // the leaf is not a record's canonical form
  | "leafRecord"; // the leaf is another record than the row shown

export type Verdict = "verified" | "unsigned" | "failed";

export interface ProofCheck {
  verdict: Verdict;
  problems: ProofProblem[];
  index: number;
  /** SHA-256(0x00 ‖ leaf), hex; null when the leaf is not base64. */
  leafHash: string | null;
  /** The leaf's bytes as text (the record as it was hashed). */
  leafText: string | null;
  /** The audit path, hex, from the leaf upwards. */
  path: string[];
  /** The root the path leads to, hex, or null when it leads to none. */
  computedRoot: string | null;
  /** The head as signed; null when its bytes are not a head. */
  head: HeadText | null;
  signature: SignatureCheck;
  /** The record fields that differ between the leaf and the row shown. */
  differs: string[];
}

export type SignatureVerifier = (publicKey: Bytes, signature: Bytes, message: Bytes) => Promise<SignatureCheck>;

const RECORD_FIELDS = ["seq", "actor", "action", "resource", "channel_id", "source", "outcome", "detail"] as const;

/** The fields in which the leaf's record differs from `record` ("at" compared as an instant,
 * to the microsecond); null when the leaf is not a record's JSON. */
export function leafDiffers(leafText: string, record: AuditRecord): string[] | null {
  let leaf: unknown;
  try {
    leaf = JSON.parse(leafText);
  } catch {
    return null;
  }
  if (!leaf || typeof leaf !== "object" || Array.isArray(leaf)) return null;
  const fields = leaf as Record<string, unknown>;
  if (typeof fields.at !== "string" || !RECORD_FIELDS.every((name) => name in fields)) return null;
  const differs: string[] = RECORD_FIELDS.filter((name) => fields[name] !== record[name]);
  const at = microsOf(fields.at);
  if (at === null || at !== microsOf(record.at)) differs.push("at");
  return differs;
}

function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** Whether the head's repeated fields say what its signed text says. */
function fieldsMatch(head: TreeHead, signed: HeadText): boolean {
  const at = microsOf(head.timestamp);
  return head.size === signed.size && head.root.toLowerCase() === signed.root && at !== null && at === microsOf(signed.timestamp);
}

/** Check `proof` of `record` against the signed tree head `head`. */
export async function checkProof(
  head: TreeHead,
  proof: InclusionProof,
  record: AuditRecord,
  verify: SignatureVerifier = verifyEd25519,
): Promise<ProofCheck> {
  const problems: ProofProblem[] = [];
  const signedBytes = fromBase64(head.head);
  const signed = signedBytes ? parseHead(signedBytes) : null;
  if (!signed) problems.push("headForm");
  else if (!fieldsMatch(head, signed)) problems.push("headFields");

  const key = fromBase64(head.public_key);
  const signatureBytes = fromBase64(head.signature);
  const signature: SignatureCheck =
    signedBytes && key && signatureBytes ? await verify(key, signatureBytes, signedBytes) : "invalid";
  if (signature === "invalid") problems.push("signature");

  if (signed && proof.size !== signed.size) problems.push("size");

  const leaf = fromBase64(proof.leaf);
  const hashed = leaf ? await leafHash(leaf) : null;
  const path = proof.proof.map(fromHex);
  const root =
    hashed && path.every((node) => node !== null)
      ? await rootFromInclusion(proof.index, proof.size, hashed, path as Bytes[])
      : null;
  const computedRoot = root ? toHex(root) : null;
  if (computedRoot === null || computedRoot !== signed?.root) problems.push("path");

  const leafText = leaf ? decodeUtf8(leaf) : null;
  const differs = leafText === null ? null : leafDiffers(leafText, record);
  if (differs === null) problems.push("leafForm");
  else if (differs.length > 0 || proof.index !== record.seq - 1) problems.push("leafRecord");

  const verdict: Verdict = problems.length > 0 ? "failed" : signature === "unchecked" ? "unsigned" : "verified";
  return {
    verdict,
    problems,
    index: proof.index,
    leafHash: hashed ? toHex(hashed) : null,
    leafText,
    path: proof.proof,
    computedRoot,
    head: signed,
    signature,
    differs: differs ?? [],
  };
}
