// The audit viewer's proofs (证明): a record's inclusion proof against the signed tree head,
// checked in the browser (audit/ProofPanel.tsx, audit/proofCheck.ts), in words.

import type { Entry } from "./entry";

export const PROOF_STRINGS = {
  "proof.column": { zh: "证明", en: "Proof" },
  "proof.open": { zh: "证明", en: "Proof" },
  "proof.openOf": { zh: "查看记录 #{seq} 的证明", en: "Proof of record #{seq}" },
  "proof.title": { zh: "记录 #{seq} 的包含证明", en: "Inclusion proof of record #{seq}" },
  "proof.close": { zh: "关闭", en: "Close" },
  "proof.checking": { zh: "正在获取并校验证明…", en: "Fetching and checking the proof…" },
  "proof.hint": {
    zh: "在本浏览器中校验，不依赖服务器的结论：记录内容的哈希沿证明路径向上算出根哈希，须与服务器签名的树头一致，树头签名须有效。",
    en: "Checked in this browser, not taken from the server: the record's hash, walked up the proof path, must give the root of the signed tree head, and the head's signature must hold.",
  },
  "proof.verdict.verified": { zh: "✓ 已验证：本记录包含在已签名的审计日志中", en: "✓ Verified: this record is in the signed audit log" },
  "proof.verdict.unsigned": {
    zh: "✓ 包含证明成立；本浏览器未检验树头签名",
    en: "✓ The inclusion proof holds; the head's signature is not checked in this browser",
  },
  "proof.verdict.failed": { zh: "✗ 验证失败", en: "✗ Verification failed" },
  "proof.problem.headForm": { zh: "树头的签名内容格式不正确", en: "The tree head's signed text is not in the signed form" },
  "proof.problem.headFields": {
    zh: "树头给出的大小、根哈希或时间与其签名内容不符",
    en: "The head's size, root or time differ from what it signed",
  },
  "proof.problem.signature": { zh: "树头签名无效", en: "The tree head's signature is not valid" },
  "proof.problem.size": { zh: "证明所对应的树大小与树头不同", en: "The proof is for another tree size than the head's" },
  "proof.problem.path": {
    zh: "由记录哈希和证明路径算出的根哈希与签名的根哈希不一致",
    en: "The record's hash and the proof path do not lead to the signed root",
  },
  "proof.problem.leafForm": { zh: "证明中的记录内容不是审计记录的规范格式", en: "The proven leaf is not an audit record in its canonical form" },
  "proof.problem.leafRecord": {
    zh: "证明的记录与所选记录不同（{fields}）",
    en: "The proven record differs from the one chosen ({fields})",
  },
  "proof.seq": { zh: "序号", en: "Sequence number" },
  "proof.size": { zh: "树大小（记录数）", en: "Tree size (records)" },
  "proof.root": { zh: "签名的根哈希", en: "Signed root" },
  "proof.computed": { zh: "算出的根哈希", en: "Computed root" },
  "proof.none": { zh: "无", en: "none" },
  "proof.time": { zh: "树头签名时间", en: "Head signed at" },
  "proof.signature": { zh: "树头签名", en: "Head signature" },
  "proof.signature.valid": { zh: "有效", en: "Valid (Ed25519)" },
  "proof.signature.invalid": { zh: "无效", en: "Not valid" },
  "proof.signature.unchecked": {
    zh: "本浏览器未检验签名（不支持该签名算法）",
    en: "Signature not checked in this browser (no Ed25519 in its Web Crypto)",
  },
  "proof.publicKey": { zh: "签名公钥", en: "Public key" },
  "proof.index": { zh: "叶序号（从 0 起）", en: "Leaf index (from 0)" },
  "proof.leafHash": { zh: "记录哈希（叶哈希）", en: "Leaf hash" },
  "proof.path": { zh: "证明路径（自叶向上，{n} 个节点）", en: "Proof path (leaf upwards, {n} nodes)" },
  "proof.pathEmpty": { zh: "无：树中只有这一条记录", en: "None: the tree holds this record alone" },
  "proof.leaf": { zh: "参与哈希的记录内容", en: "The record as hashed" },
  "proof.noCrypto": {
    zh: "本页面未通过安全连接打开，浏览器不提供校验所需的密码功能，无法在此校验证明；请改用加密连接打开控制台。",
    en: "This page is not on a secure connection, so the browser offers no Web Crypto to check the proof with: open the console over HTTPS.",
  },
} satisfies Record<string, Entry>;
