// The words of the shares page (共享): lending a channel's live video to another department
// under an approved share request, the list of shares and their revoke (kept apart from
// strings.ts, which spreads them in).

import type { Entry } from "./entry";

export const SHARE_STRINGS = {
  "nav.shares": { zh: "共享", en: "Shares" },

  "shares.title": { zh: "通道共享", en: "Channel shares" },
  "shares.hint": {
    zh: "将通道的实时视频共享给其他部门，须有他人批准的本人共享申请；共享随审批到期或撤销而结束，也可随时撤销。被共享的部门只能查看实时视频。",
    en: "Lend a channel's live video to another department under a share request of your own that another user approved; the share ends with its approval, or when revoked. The department may watch it live, nothing more.",
  },
  "shares.form": { zh: "共享通道", en: "Share a channel" },
  "shares.channel": { zh: "通道", en: "Channel" },
  "shares.pickChannel": { zh: "请选择通道", en: "Pick a channel" },
  "shares.organisation": { zh: "共享给", en: "Share with" },
  "shares.pickOrganisation": { zh: "请选择组织", en: "Pick an organisation" },
  "shares.approval": { zh: "已批准的共享申请", en: "Approved share request" },
  "shares.pickApproval": { zh: "请选择", en: "Pick one" },
  "shares.grant": { zh: "#{id}：{purpose}（有效期至 {time}）", en: "#{id}: {purpose} (valid until {time})" },
  "shares.noGrants": { zh: "您没有该通道已批准的共享申请：请先申请，由他人批准。", en: "You have no approved share request for this channel: request one for another user to approve." },
  "shares.pending": { zh: "共享申请 #{id} 待他人审批", en: "Share request #{id} waits for another user's decision" },
  "shares.ask": { zh: "申请共享审批", en: "Request share approval" },
  "shares.asked": { zh: "已提交共享申请 #{id}，待他人审批", en: "Share request #{id} filed: another user decides it" },
  "shares.refresh": { zh: "刷新申请状态", en: "Refresh requests" },
  "shares.submit": { zh: "共享", en: "Share" },
  "shares.shared": { zh: "已共享给 {organisation}（共享 #{id}）", en: "Shared with {organisation} (share #{id})" },
  "shares.noChannel": { zh: "请先选择通道", en: "Pick a channel first" },
  "shares.noOrganisation": { zh: "请选择要共享给的组织", en: "Pick the organisation to share with" },
  "shares.noApproval": { zh: "请选择已批准的共享申请", en: "Pick an approved share request" },

  "shares.list": { zh: "共享列表", en: "Shares" },
  "shares.withEnded": { zh: "包括已结束的共享", en: "Include ended shares" },
  "shares.none": { zh: "没有生效中的共享", en: "No shares in force" },
  "shares.noneAtAll": { zh: "没有共享", en: "No shares" },
  "shares.id": { zh: "编号", en: "#" },
  "shares.channelColumn": { zh: "通道", en: "Channel" },
  "shares.organisationColumn": { zh: "共享给", en: "Shared with" },
  "shares.sharedBy": { zh: "共享人", en: "Shared by" },
  "shares.approver": { zh: "审批人", en: "Approved by" },
  "shares.purpose": { zh: "用途", en: "Purpose" },
  "shares.case": { zh: "案件编号", en: "Case" },
  "shares.created": { zh: "共享时间", en: "Shared at" },
  "shares.until": { zh: "有效期至", en: "Until" },
  "shares.state": { zh: "状态", en: "State" },
  "shares.state.inForce": { zh: "生效中", en: "In force" },
  "shares.state.revoked": { zh: "已撤销", en: "Revoked" },
  "shares.state.ended": { zh: "已结束", en: "Ended" },
  "shares.revokedBy": { zh: "撤销人", en: "by" },
  "shares.actions": { zh: "操作", en: "Actions" },
  "shares.revoke": { zh: "撤销共享", en: "Revoke" },
  "shares.confirmRevoke": { zh: "撤销共享 #{id}（{channel} → {organisation}）？", en: "Revoke share #{id} ({channel} → {organisation})?" },
  "shares.revoked": { zh: "共享 #{id} 已撤销", en: "Share #{id} revoked" },
} satisfies Record<string, Entry>;
