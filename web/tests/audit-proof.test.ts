// The audit viewer's proof check, pure logic run by `npm test` (node's Web Crypto: SHA-256 and
// Ed25519): RFC 9162 inclusion proofs and signed tree heads made by the server's own code
// (fixtures/audit-vectors.json, from tools/audit_vectors.py; tests/unit/test_audit_vectors.py
// keeps it current), and what fails: a tampered leaf, a tampered path, a wrong position, a
// signed head edited, a leaf of another record than the row shown.

import assert from "node:assert/strict";
import { test } from "node:test";
import type { AuditRecord, InclusionProof, TreeHead } from "../src/api/types";
import { fromBase64, fromHex, leafHash, nodeHash, rootFromInclusion, toHex } from "../src/audit/merkle";
import type { Bytes } from "../src/audit/merkle";
import { checkProof, leafDiffers } from "../src/audit/proofCheck";
import { microsOf, parseHead, verifyEd25519 } from "../src/audit/treeHead";
import vectors from "./fixtures/audit-vectors.json";

const HEAD: TreeHead = vectors.head;
const PROOFS: InclusionProof[] = vectors.proofs;
const hex = (text: string) => fromHex(text) as Bytes;
const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

/** The record a leaf holds, as GET /audit lists it (a "Z" time, a chain hash). */
function recordOf(proof: InclusionProof): AuditRecord {
  const leaf = JSON.parse(new TextDecoder().decode(fromBase64(proof.leaf) as Bytes)) as Omit<AuditRecord, "hash">;
  return { ...leaf, at: leaf.at.replace(/\+00:00$/, "Z"), hash: "ab".repeat(32) };
}

const atSeven = PROOFS.filter((p) => p.size === 7);

test("leaf and node hashes are SHA-256 with the 0x00 and 0x01 prefixes", async () => {
  // SHA-256 of the single byte 0x00: the leaf hash of an empty leaf (RFC 6962's empty-leaf value).
  assert.equal(toHex(await leafHash(new Uint8Array())), "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
  assert.equal(toHex(await leafHash(fromBase64(PROOFS[0].leaf) as Bytes)), vectors.leaf_hashes[0]);
  const [a, b] = vectors.leaf_hashes.map(hex);
  assert.equal(toHex(await nodeHash(a, b)), vectors.roots[2]);
});

test("every proof of every record in every tree of 1 to 7 leads to that tree's root", async () => {
  assert.equal(PROOFS.length, 28);
  for (const proof of PROOFS) {
    const leaf = await leafHash(fromBase64(proof.leaf) as Bytes);
    assert.equal(toHex(leaf), vectors.leaf_hashes[proof.index]);
    const root = await rootFromInclusion(proof.index, proof.size, leaf, proof.proof.map(hex));
    assert.equal(root && toHex(root), vectors.roots[proof.size], `leaf ${proof.index} of ${proof.size}`);
  }
});

test("a tampered leaf, path node, position or path length leads to no root or another", async () => {
  const proof = atSeven[4];
  const leaf = fromBase64(proof.leaf) as Bytes;
  const path = proof.proof.map(hex);
  const good = toHex((await rootFromInclusion(4, 7, await leafHash(leaf), path)) as Bytes);
  assert.equal(good, vectors.roots[7]);

  const tampered = Uint8Array.from(leaf);
  tampered[10] ^= 0x01;
  const fromTampered = await rootFromInclusion(4, 7, await leafHash(tampered), path);
  assert.notEqual(fromTampered && toHex(fromTampered), vectors.roots[7]);

  const badNode = path.map((node, i) => (i === 1 ? Uint8Array.from(node, (b, j) => (j === 0 ? b ^ 0x80 : b)) : node));
  const fromBadNode = await rootFromInclusion(4, 7, await leafHash(leaf), badNode);
  assert.notEqual(fromBadNode && toHex(fromBadNode), vectors.roots[7]);

  const leafHashed = await leafHash(leaf);
  const elsewhere = await rootFromInclusion(5, 7, leafHashed, path);
  assert.notEqual(elsewhere && toHex(elsewhere), vectors.roots[7]);
  assert.equal(await rootFromInclusion(4, 7, leafHashed, path.slice(0, -1)), null);
  assert.equal(await rootFromInclusion(4, 7, leafHashed, [...path, path[0]]), null);
  assert.equal(await rootFromInclusion(7, 7, leafHashed, path), null);
  assert.equal(await rootFromInclusion(-1, 7, leafHashed, path), null);
  assert.equal(await rootFromInclusion(4, 7, leafHashed.slice(1), path), null);
});

test("positions past 2^32 are walked with arithmetic, not 32-bit bit operations", async () => {
  // A tree of 2^33 + 1 leaves: the last leaf's path is one node (the left 2^33 subtree), so its
  // root is node(left, leaf). 32-bit shifts would lose the index's high bit and walk elsewhere.
  const leaf = await leafHash(Uint8Array.of(7));
  const left = hex(vectors.roots[4]);
  const size = 2 ** 33 + 1;
  const root = await rootFromInclusion(size - 1, size, leaf, [left]);
  assert.equal(root && toHex(root), toHex(await nodeHash(left, leaf)));
});

test("the signed head parses to its size, root and time; other texts are refused", () => {
  const head = parseHead(fromBase64(HEAD.head) as Bytes);
  assert.deepEqual(head, { size: 7, root: vectors.roots[7], timestamp: "2025-03-01T08:05:00.000042+00:00" });
  assert.equal(microsOf(HEAD.timestamp), microsOf("2025-03-01T08:05:00.000042+00:00"));
  assert.notEqual(microsOf("2025-03-01T08:05:00.000043Z"), microsOf(HEAD.timestamp));
  const text = new TextDecoder().decode(fromBase64(HEAD.head) as Bytes);
  for (const bad of [text.replace("size 7", "size 07"), text.replace("v1", "v2"), text.trimEnd(), `${text}x`, text.replace("root 6", "root G")]) {
    assert.equal(parseHead(new TextEncoder().encode(bad)), null, bad);
  }
});

test("the head's Ed25519 signature holds, and fails for one changed byte or another key", async () => {
  const head = fromBase64(HEAD.head) as Bytes;
  const key = fromBase64(HEAD.public_key) as Bytes;
  const signature = fromBase64(HEAD.signature) as Bytes;
  assert.equal(await verifyEd25519(key, signature, head), "valid");
  const edited = Uint8Array.from(head);
  edited[30] ^= 0x01;
  assert.equal(await verifyEd25519(key, signature, edited), "invalid");
  const otherKey = Uint8Array.from(key);
  otherKey[0] ^= 0x01;
  assert.equal(await verifyEd25519(otherKey, signature, head), "invalid");
  assert.equal(await verifyEd25519(key.slice(1), signature, head), "invalid");
});

test("a record's proof against the signed head is verified, its leaf the row shown", async () => {
  for (const proof of atSeven) {
    const check = await checkProof(HEAD, proof, recordOf(proof));
    assert.deepEqual(check.problems, [], `record ${proof.index + 1}`);
    assert.equal(check.verdict, "verified");
    assert.equal(check.leafHash, vectors.leaf_hashes[proof.index]);
    assert.equal(check.computedRoot, vectors.roots[7]);
    assert.equal(check.signature, "valid");
    assert.deepEqual(check.path, proof.proof);
  }
});

test("a tampered leaf fails the check: its path no longer leads to the signed root", async () => {
  const proof = atSeven[2];
  const record = recordOf(proof);
  const text = new TextDecoder().decode(fromBase64(proof.leaf) as Bytes).replace('"outcome":"ok"', '"outcome":"no"');
  const tampered = { ...proof, leaf: b64(new TextEncoder().encode(text)) };
  const check = await checkProof(HEAD, tampered, { ...record, outcome: "no" });
  assert.equal(check.verdict, "failed");
  assert.deepEqual(check.problems, ["path"]);
  assert.notEqual(check.computedRoot, vectors.roots[7]);
});

test("a path node changed, a proof for another size, an edited head each fail, naming why", async () => {
  const proof = atSeven[5];
  const record = recordOf(proof);
  const node = proof.proof[0];
  const badPath = { ...proof, proof: [`${node[0] === "0" ? "1" : "0"}${node.slice(1)}`, ...proof.proof.slice(1)] };
  assert.deepEqual((await checkProof(HEAD, badPath, record)).problems, ["path"]);

  const atSix = PROOFS.find((p) => p.size === 6 && p.index === 5) as InclusionProof;
  assert.deepEqual((await checkProof(HEAD, atSix, record)).problems, ["size", "path"]);

  // The head's text says size 6 (its root unchanged): the signature no longer holds, and the
  // size-7 proof is not one for it.
  const text = new TextDecoder().decode(fromBase64(HEAD.head) as Bytes).replace("size 7", "size 6");
  const edited = { ...HEAD, size: 6, head: b64(new TextEncoder().encode(text)) };
  assert.deepEqual((await checkProof(edited, proof, record)).problems, ["signature", "size"]);

  // A head whose repeated fields disagree with what was signed.
  assert.deepEqual((await checkProof({ ...HEAD, root: vectors.roots[6] }, proof, record)).problems, ["headFields"]);
  assert.deepEqual((await checkProof({ ...HEAD, head: b64(new TextEncoder().encode("not a head")) }, proof, record)).problems, [
    "headForm",
    "signature",
    "path",
  ]);
});

test("a proof of another record than the row shown fails, naming the fields", async () => {
  const proof = atSeven[3];
  const record = recordOf(proof);
  const check = await checkProof(HEAD, proof, { ...record, actor: "someone-else", at: "2025-03-01T08:00:04.004005Z" });
  assert.equal(check.verdict, "failed");
  assert.deepEqual(check.problems, ["leafRecord"]);
  assert.deepEqual(check.differs, ["actor", "at"]);
  assert.deepEqual((await checkProof(HEAD, proof, { ...record, seq: 5 })).differs, ["seq"]);
  assert.equal(leafDiffers("[1, 2]", record), null);
  assert.equal(leafDiffers('{"seq": 4}', record), null);
});

test("a browser without Ed25519 says the signature is unchecked, not valid", async () => {
  const proof = atSeven[0];
  const check = await checkProof(HEAD, proof, recordOf(proof), async () => "unchecked");
  assert.equal(check.signature, "unchecked");
  assert.equal(check.verdict, "unsigned");
  assert.deepEqual(check.problems, []);
  // Unchecked signature, tampered leaf: still a failure.
  const tampered = { ...proof, leaf: b64(new TextEncoder().encode("{}")) };
  assert.equal((await checkProof(HEAD, tampered, recordOf(proof), async () => "unchecked")).verdict, "failed");
});
