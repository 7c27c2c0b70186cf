// The audit log's Merkle tree as RFC 6962 / RFC 9162 §2.1 define it, for checking the server's
// proofs in the browser: leaf hash = SHA-256(0x00 ‖ leaf bytes), node hash = SHA-256(0x01 ‖ left
// ‖ right), and the inclusion proof's verification of RFC 9162 §2.1.3.2. Hashing is Web Crypto's
// (crypto.subtle, which a browser offers only to a secure context: HTTPS or localhost).
// Pure: bytes and numbers in, bytes out, so the unit tests run it under node.

export type Bytes = Uint8Array<ArrayBuffer>;

export const HASH_BYTES = 32;

/** Whether this page may use Web Crypto (absent outside a secure context). */
export function webCryptoAvailable(): boolean {
  return typeof globalThis.crypto?.subtle?.digest === "function";
}

export function fromHex(hex: string): Bytes | null {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return null;
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i += 1) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export function fromBase64(text: string): Bytes | null {
  try {
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return null;
  }
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

async function sha256(...parts: Uint8Array[]): Promise<Bytes> {
  const joined = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.length;
  }
  return new Uint8Array(await crypto.subtle.digest("SHA-256", joined));
}

const LEAF = Uint8Array.of(0x00);
const NODE = Uint8Array.of(0x01);

/** SHA-256(0x00 ‖ leaf bytes). */
export function leafHash(leaf: Uint8Array): Promise<Bytes> {
  return sha256(LEAF, leaf);
}

/** SHA-256(0x01 ‖ left ‖ right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Promise<Bytes> {
  return sha256(NODE, left, right);
}

// Tree sizes reach 2^40, past JavaScript's 32-bit bitwise operators: halve and test parity with
// arithmetic, exact for whole numbers up to 2^53.
const odd = (n: number) => n % 2 === 1;
const half = (n: number) => Math.floor(n / 2);

/** The root an inclusion proof leads to from the leaf *hash* at `index` in a tree of `size`
 * leaves (RFC 9162 §2.1.3.2, steps 1–5 less the final comparison), or null when the proof
 * cannot belong to that position: an index outside the tree, a path too long or too short, a
 * node that is not a 32-byte hash. */
export async function rootFromInclusion(index: number, size: number, leaf: Uint8Array, proof: Uint8Array[]): Promise<Bytes | null> {
  if (![index, size].every(Number.isSafeInteger) || index < 0 || index >= size) return null;
  if (leaf.length !== HASH_BYTES || proof.some((p) => p.length !== HASH_BYTES)) return null;
  let fn = index;
  let sn = size - 1;
  let r: Bytes = Uint8Array.from(leaf);
  for (const p of proof) {
    if (sn === 0) return null;
    if (odd(fn) || fn === sn) {
      r = await nodeHash(p, r);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 ? r : null;
}
