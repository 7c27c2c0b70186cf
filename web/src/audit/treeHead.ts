// A signed tree head of the audit log, checked in the browser: the exact text the server signed
// (its size, Merkle root and time, in the fixed form of vigil/governance/tree_head.py) and its
// Ed25519 signature (RFC 8032) by the raw 32-byte public key, with Web Crypto's Ed25519 where the
// browser has it. A browser without it says so ("unchecked") rather than pass or fail the head.

import { fromHex, toHex } from "./merkle";
import type { Bytes } from "./merkle";

export const HEAD_VERSION = "vigil-audit-tree-head v1";

export interface HeadText {
  size: number;
  /** The Merkle root, 64 lower-case hex digits. */
  root: string;
  /** ISO 8601 UTC with microseconds, as signed. */
  timestamp: string;
}

const HEAD = /^vigil-audit-tree-head v1\nsize (0|[1-9][0-9]{0,15})\nroot ([0-9a-f]{64})\ntimestamp ([0-9T:.+-]{32})\n$/;

/** The fields of a head's signed text, or null when it is not exactly in the signed form. */
export function parseHead(bytes: Uint8Array): HeadText | null {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
  const match = HEAD.exec(text);
  if (!match) return null;
  const size = Number(match[1]);
  const root = fromHex(match[2]);
  if (!Number.isSafeInteger(size) || !root || microsOf(match[3]) === null) return null;
  return { size, root: toHex(root), timestamp: match[3] };
}

/** An ISO 8601 instant in microseconds since the epoch (the server's precision), or null. */
export function microsOf(iso: string): number | null {
  const fraction = /\.(\d+)/.exec(iso)?.[1] ?? "";
  const seconds = Date.parse(iso.replace(/\.\d+/, ""));
  if (Number.isNaN(seconds)) return null;
  return seconds * 1000 + Number(fraction.padEnd(6, "0").slice(0, 6));
}

export type SignatureCheck = "valid" | "invalid" | "unchecked";

const ED25519 = { name: "Ed25519" };
/** RFC 8032 §7.1 test 1's public key: a browser that cannot import it has no Ed25519. */
const PROBE = fromHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a") as Bytes;

let supported: Promise<boolean> | null = null;

/** Whether this browser's Web Crypto verifies Ed25519 (asked once). */
export function ed25519Supported(): Promise<boolean> {
  supported ??= (async () => {
    try {
      await crypto.subtle.importKey("raw", PROBE, ED25519, false, ["verify"]);
      return true;
    } catch {
      return false;
    }
  })();
  return supported;
}

/** Whether `signature` is `publicKey`'s Ed25519 signature of `message`; "unchecked" when the
 * browser cannot tell. A key that is not a 32-byte Ed25519 point fails the check. */
export async function verifyEd25519(publicKey: Bytes, signature: Bytes, message: Bytes): Promise<SignatureCheck> {
  if (!(await ed25519Supported())) return "unchecked";
  if (publicKey.length !== 32 || signature.length !== 64) return "invalid";
  try {
    const key = await crypto.subtle.importKey("raw", publicKey, ED25519, false, ["verify"]);
    return (await crypto.subtle.verify(ED25519, key, signature, message)) ? "valid" : "invalid";
  } catch {
    return "invalid";
  }
}
