// The server's reasons, by their stable code (problem+json `code`, a KPI's `reason_code`), in
// both languages; `{name}` is a param of the problem. problems.ts picks the sentence: the code's,
// else its type's generic one with the code, never the server's English `detail`.
// tests/unit/test_problem_codes.py checks that every code the server raises is here.

type Entry = Record<"zh" | "en", string>;

export const PROBLEM_STRINGS = {
  // Whatever the code: the type's sentence (`problem.type.<type>`), then this with the code.
  "problem.withCode": { zh: "{reason}（代码 {code}）", en: "{reason} (code {code})" },
  "problem.type.invalid": { zh: "输入不符合要求", en: "The input breaks a rule" },
  "problem.type.unauthorized": { zh: "需要重新登录", en: "You need to log in again" },
  "problem.type.forbidden": { zh: "您无权执行此操作", en: "You may not do this" },
  "problem.type.not-found": { zh: "要找的对象不存在", en: "It does not exist" },
  "problem.type.conflict": { zh: "与当前状态冲突，操作未执行", en: "It conflicts with how things are now" },
  "problem.type.rate-limited": { zh: "尝试过于频繁，请稍后再试", en: "Too many attempts: try again shortly" },
  "problem.type.unavailable": { zh: "服务暂不可用", en: "The service is unavailable" },
  "problem.type.media-unavailable": { zh: "视频源不可用", en: "The video source is unavailable" },
  "problem.type.content-too-large": { zh: "提交的内容过大", en: "What was sent is too large" },
  "problem.type.method-not-allowed": { zh: "不支持此操作", en: "This operation is not supported" },
  "problem.type.internal-error": { zh: "服务器内部错误，请查看服务器日志", en: "The server failed; see its log" },
  "problem.type.network": { zh: "无法连接服务器", en: "The server cannot be reached" },
  "problem.type.http": { zh: "服务器拒绝了请求（状态 {status}）", en: "The server refused the request (status {status})" },
  "problem.page": { zh: "页面出错", en: "The page failed" },

  // Reasons any page may meet; {entity} is a word of entity.* (fieldStrings.ts).
  "problem.not_found": { zh: "{entity} {id} 不存在", en: "{entity} {id} does not exist" },
  "problem.exists": { zh: "{entity} {id} 已存在", en: "{entity} {id} already exists" },
  "problem.out_of_scope": {
    zh: "{entity} {id} 不在您可管理的组织范围内",
    en: "{entity} {id} is outside the organisations you may access",
  },
  "problem.permission": { zh: "您没有“{permission}”权限", en: "You lack the permission “{permission}”" },
  "problem.session_only": {
    zh: "只有登录会话可以执行此操作（接口令牌不可以）",
    en: "Only a login session may do this, not an API token",
  },
  "problem.fields.unknown": { zh: "不能修改的字段：{fields}", en: "Fields that cannot be set: {fields}" },
  "problem.fields.not_null": { zh: "不能为空的字段：{fields}", en: "Fields that cannot be empty: {fields}" },
  "problem.field.required": { zh: "{field}：必填", en: "{field}: required" },
  "problem.field.range": { zh: "{field}：取值范围为 {min} 至 {max}", en: "{field}: must be between {min} and {max}" },
  "problem.cursor.malformed": { zh: "分页位置无效，请从第一页重新查询", en: "The page cursor is invalid: start again" },
  "problem.time.offset": { zh: "时间须带时区偏移", en: "Times need a UTC offset" },
  "problem.period.order": { zh: "开始时间须早于结束时间", en: "The start must come before the end" },
  "problem.recording.seconds": { zh: "联动录像时长须在 1 小时以内", en: "An on-demand recording lasts at most an hour" },
  "problem.period.both": {
    zh: "起止日期须同时给出，或都不给（最近 30 天）",
    en: "Give both from and to, or neither for the last 30 days",
  },
  "problem.period.days": {
    zh: "统计期间须从前到后，且最长 {days} 天",
    en: "The period must run forwards and cover at most {days} days",
  },
  "problem.period.too_long": { zh: "时间范围最长 {hours} 小时", en: "The range may span at most {hours} hours" },
  "problem.period.bounds": { zh: "日期须在 {first} 至 {last} 之间", en: "Dates must lie between {first} and {last}" },

  // Login, tokens, passwords (the rule itself: password.rule in the words of PasswordRule).
  "problem.login.refused": { zh: "用户名或密码错误", en: "Wrong username or password" },
  "problem.login.rate_limited": { zh: "登录尝试过于频繁，请稍后再试", en: "Too many login attempts from here: try again shortly" },
  "problem.token.invalid": { zh: "登录已失效，请重新登录", en: "The login is no longer valid: log in again" },
  "problem.token.revoked": { zh: "登录已被撤销，请重新登录", en: "The login was revoked: log in again" },
  "problem.token.expired": { zh: "登录已过期，请重新登录", en: "The login expired: log in again" },
  "problem.password.rule": {
    zh: "密码至少 {min_length} 个字符，且含小写字母、大写字母、数字、其他字符中的 {min_kinds} 类；或者至少 {long_length} 个任意字符。不同的字符至少 {min_distinct} 个。计数时，连续 {run} 个及以上相同、或按字母表、数字、键盘顺序排列的字符只算 1 个。不能是常见密码，不能由常见单词加数字、符号构成，也不能基于用户名。",
    en: "A password needs at least {min_length} characters with {min_kinds} of the 4 kinds (lower-case letters, upper-case letters, digits, other characters), or at least {long_length} characters of any kind, and at least {min_distinct} different characters. In the count, {run} or more characters in a row that repeat one character or follow the alphabet, the digits or a keyboard row count as one. It must not be a common password, a common word with digits or symbols added, or built on the username.",
  },
  "problem.password.current_wrong": { zh: "当前密码不正确", en: "The current password is wrong" },
  "problem.password.too_short": {
    zh: "密码太短：按规则只计 {counted} 个字符，至少需要 {min_length} 个",
    en: "The password is too short: it counts {counted} characters, {min_length} are needed",
  },
  "problem.password.few_kinds": {
    zh: "密码只含 {kinds} 类字符（计 {counted} 个字符）：需含 {min_kinds} 类，或至少 {long_length} 个字符",
    en: "The password mixes {kinds} kinds of character (counts {counted}): it needs {min_kinds} kinds, or {long_length} characters",
  },
  "problem.password.few_distinct": {
    zh: "密码只有 {distinct} 个不同的字符，至少需要 {min_distinct} 个",
    en: "The password has {distinct} different characters; {min_distinct} are needed",
  },
  "problem.password.guessable": { zh: "密码太容易被猜到（常见密码或常见单词）", en: "The password is too easy to guess (a common password or word)" },
  "problem.password.username": { zh: "密码不能以用户名为基础", en: "The password must not be built on the username" },

  // Accounts.
  "problem.user.self_change": { zh: "不能停用自己的账户或修改自己的角色", en: "You cannot disable yourself or change your own role" },
  "problem.user.self_delete": { zh: "不能删除自己的账户", en: "You cannot delete yourself" },
  "problem.user.role_beyond": {
    zh: "不能授予“{role}”角色：它带有您没有的权限",
    en: "You cannot give the role “{role}”: it carries permissions you lack",
  },
  "problem.user.no_scopes": {
    zh: "账户必须指定组织范围，否则会超出您管理的组织",
    en: "The account needs organisations: without them it would reach beyond yours",
  },
  "problem.user.outside_scope": { zh: "该账户超出您管理的组织范围", en: "The account lies outside the organisations you manage" },
  "problem.user.unknown_scopes": { zh: "组织范围中有不存在的组织：{ids}", en: "Unknown organisations in the scopes: {ids}" },

  // The catalog: IDs (the same rules as the forms' own checks), organisations, groups.
  "problem.id.length": { zh: "编码必须为 20 位数字，当前为 {n} 位", en: "An ID is 20 digits, this one has {n} characters" },
  "problem.id.digits": { zh: "编码必须为 20 位数字，含有非数字字符", en: "An ID is 20 digits, this one has a non-digit" },
  "problem.id.type_undefined": {
    zh: "类型编码 {type} 未在 GB/T 28181 中定义（类型编码为 111 至 999）",
    en: "Type code {type} is not defined in GB/T 28181 (type codes are 111 to 999)",
  },
  "problem.id.device_type": {
    zh: "类型编码 {type} 不是设备（GB/T 28181 类型编码 111–199，平台为 200）",
    en: "Type code {type} is not a device (GB/T 28181 type codes 111–199, or 200 for a platform)",
  },
  "problem.id.channel_type": {
    zh: "类型编码 {type} 不是前端设备（GB/T 28181 类型编码 131–199）",
    en: "Type code {type} is not a front-end device (GB/T 28181 type codes 131–199)",
  },
  "problem.id.group_type": {
    zh: "类型编码 {type} 既不是业务分组（215）也不是虚拟组织（216）",
    en: "Type code {type} is neither a business group (215) nor a virtual organisation (216)",
  },
  "problem.id.region_code": { zh: "行政区划代码为 2、4、6 或 8 位数字", en: "A civil code is 2, 4, 6 or 8 digits" },
  "problem.id.org_id": { zh: "组织编码为 1 至 20 位数字", en: "An organisation ID is 1 to 20 digits" },
  "problem.organisation.not_empty": {
    zh: "组织 {id} 下还有{entity}，不能删除",
    en: "Organisation {id} still holds a {entity}: it cannot be deleted",
  },
  "problem.organisation.user_scope": {
    zh: "组织 {id} 是某个用户的管理范围，请先修改该用户的组织范围",
    en: "Organisation {id} is a user's scope: change their scopes first",
  },
  "problem.organisation.region_parent": {
    zh: "行政区划 {id} 必须位于其代码所扩展的上级区划之下，而不是 {parent}",
    en: "Region {id} must sit under the region whose code it extends, not {parent}",
  },
  "problem.organisation.top_level": { zh: "只有不限组织范围的用户可以创建顶级组织", en: "Only unscoped users create top-level organisations" },
  "problem.group.root_parent": { zh: "业务分组（215）是根节点，不能有上级", en: "A business group (215) is a root and has no parent" },
  "problem.group.needs_parent": {
    zh: "虚拟组织（216）须位于业务分组或另一个虚拟组织之下",
    en: "A virtual organisation (216) sits under a business group or another 216",
  },
  "problem.group.unscoped_only": { zh: "业务分组全平台共用，只有不限组织范围的用户可以管理", en: "Virtual groups are platform-wide: only unscoped users manage them" },
  "problem.channel.not_on_device": { zh: "通道 {id} 不属于设备 {device}", en: "Channel {id} is not on device {device}" },

  // Upper platforms (cascade).
  "problem.upper.admin_only": { zh: "只有管理员可以配置上级平台", en: "Only an administrator configures upper platforms" },
  "problem.sip.domain": { zh: "SIP 域为 10 位数字", en: "A SIP domain is 10 digits" },
  "problem.sip.transport": { zh: "传输方式只能是 UDP 或 TCP", en: "The transport is UDP or TCP" },
  "problem.sip.charset": { zh: "字符集须为以下之一：{allowed}", en: "The character set is one of {allowed}" },
  "problem.sip.edition": { zh: "标准版本只能是 2016 或 2022", en: "The edition is 2016 or 2022" },
  "problem.link.down": { zh: "与上级平台的连接中断", en: "The link to the upper platform is down" },
  "problem.link.no_address": { zh: "未配置上级平台的地址", en: "No address is configured" },
  "problem.link.connect_failed": { zh: "无法连接 {host}:{port}", en: "Cannot connect to {host}:{port}" },
  "problem.link.unanswered": { zh: "{method}请求 {seconds} 秒内未得到应答", en: "{method} unanswered after {seconds} s" },
  "problem.link.refused": { zh: "上级平台拒绝了{method}请求（SIP 状态 {status}）", en: "The upper platform refused {method} (SIP status {status})" },
  "problem.link.keepalives": { zh: "连续 {count} 次心跳未得到应答", en: "{count} keepalives unanswered" },
  "problem.link.bad_answer": { zh: "上级平台的应答无法解析", en: "The upper platform's answer could not be read" },
  "problem.share.twice": { zh: "{entity} {id} 被重复列出", en: "{entity} {id} is listed twice" },
  "problem.share.outward_twice": { zh: "对外编码 {id} 被重复使用", en: "Outward ID {id} is used twice" },
  "problem.share.own_id": { zh: "{entity}只能以自身编码共享", en: "A {entity} is shared under its own ID" },

  // Devices answering (or not) over GB/T 28181.
  "problem.device.offline": { zh: "设备 {id} 不在线", en: "Device {id} is not online" },
  "problem.device.no_answer": { zh: "设备 {id} 没有应答", en: "Device {id} did not answer" },
  "problem.device.refused": { zh: "设备 {id} 拒绝了请求（SIP 状态 {status}）", en: "Device {id} refused (SIP status {status})" },
  "problem.device.answered": { zh: "设备 {id} 回复执行失败（{result}）", en: "Device {id} answered that it failed ({result})" },
  "problem.ptz.action": { zh: "不支持的云台动作 {action}", en: "Unknown PTZ action {action}" },
  "problem.ptz.preset": { zh: "预置位操作为设置、调用或删除，编号 1 至 255", en: "A preset is set, called or deleted, numbered 1 to 255" },

  // Video: views, snapshots, playback, exports, diagnosis, evidence.
  "problem.view.unknown": { zh: "视频观看不存在或已结束，请重新打开", en: "The video view is unknown or over: open it again" },
  "problem.view.ended": { zh: "视频观看已结束", en: "The video view has ended" },
  "problem.view.expired": { zh: "视频观看已过期，请重新打开", en: "The video view expired: open it again" },
  "problem.video.no_keyframe": { zh: "{seconds} 秒内没有收到关键帧", en: "No keyframe arrived within {seconds} s" },
  "problem.video.none": { zh: "{seconds} 秒内没有收到视频", en: "No video arrived within {seconds} s" },
  "problem.video.ended": { zh: "视频流在诊断完成前中断", en: "The stream ended before the check had its frames" },
  "problem.snapshot.undecodable": { zh: "最新的关键帧无法解码", en: "The latest keyframe could not be decoded" },
  "problem.playback.seek_range": { zh: "跳转位置超出本次回放的时间范围", en: "The seek target is outside the playback's range" },
  "problem.export.failed": { zh: "导出失败", en: "The export failed" },
  "problem.export.nothing_recorded": { zh: "该时间段内没有录像", en: "Nothing was recorded in this range" },
  "problem.export.codec_changes": { zh: "该时间段内视频编码有变化，请分两段导出", en: "The codec changes within the range: export it in two parts" },
  "problem.export.io": { zh: "导出文件写入失败，请查看服务器日志", en: "The export could not be written; see the server's log" },
  "problem.job.state": { zh: "任务 {id} 当前状态为“{state}”", en: "Job {id} is {state}" },
  "problem.evidence.none": { zh: "该故障没有证据图像", en: "This fault has no evidence image" },
  "problem.evidence.missing": { zh: "该故障的证据图像已丢失", en: "The evidence image of this fault is missing" },
  "problem.alarm.not_found": { zh: "报警 {id} 不存在或不在您的管辖范围内", en: "Alarm {id} does not exist or is outside your organisations" },
  "problem.alarm.state": { zh: "该报警当前状态为“{state}”，不能执行此操作", en: "The alarm is {state}: this step cannot be taken" },
  "problem.alarm.no_snapshot": { zh: "该报警没有抓图", en: "This alarm has no snapshot" },
  "problem.alarm.snapshot_missing": { zh: "该报警的抓图已丢失", en: "The snapshot of this alarm is missing" },
  "problem.alarm.level": { zh: "报警级别须为 1 至 4", en: "An alarm level is 1 to 4" },
  "problem.alarm.kind": { zh: "报警类型须为 1 至 64 个字符", en: "An alarm kind has 1 to 64 characters" },
  "problem.alarm.time": { zh: "报警时间须带时区", en: "An alarm time needs its UTC offset" },
  "problem.track.not_found": { zh: "轨迹 {id} 不存在或不在您的管辖范围内", en: "Track {id} does not exist or is outside your organisations" },
  "problem.track.no_crop": { zh: "该轨迹没有目标截图", en: "This track has no crop" },
  "problem.track.crop_missing": { zh: "该轨迹的目标截图已丢失", en: "The crop of this track is missing" },
  "problem.alarms.linkage.action": { zh: "联动动作配置有误", en: "A linkage action is not valid" },

  // Why a video stream stopped: its WebSocket's close code, or what the player found.
  "problem.socket.timeout": { zh: "连接媒体服务超时", en: "Connecting to the media server timed out" },
  "problem.socket.1006": { zh: "与媒体服务的连接意外中断", en: "The connection to the media server broke" },
  "problem.socket.1008": { zh: "视频请求被拒绝", en: "The video request was refused" },
  "problem.socket.1011": { zh: "媒体服务出错", en: "The media server failed" },
  "problem.socket.4000": { zh: "视频流已结束（设备离线、停止发送或网络中断）", en: "The stream ended (the device is offline, stopped sending, or the network failed)" },
  "problem.socket.4401": { zh: "观看已失效（已过期或已退出登录），请重新打开", en: "The view is over (expired, or logged out): open it again" },
  "problem.socket.4403": { zh: "无权观看此通道", en: "You may not watch this channel" },
  "problem.socket.4404": { zh: "通道不存在或已不可见", en: "The channel does not exist or is no longer visible" },
  "problem.control.invalid": { zh: "播放控制消息无效", en: "The playback control message is invalid" },
  "problem.control.refused": { zh: "播放控制被拒绝", en: "The playback control was refused" },
  "problem.stream.not_fmp4": { zh: "收到的不是可播放的视频流", en: "What arrived is not a playable stream" },

  // Analytics rules (zones, lines, schedules) that do not validate.
  "problem.rule.classes": { zh: "规则的目标类别须为类别名称列表", en: "A rule's classes must be a list of labels" },
  "problem.rule.direction": { zh: "越线方向无效", en: "The line's direction is not valid" },
  "problem.rule.duplicate_id": { zh: "同一通道的两条规则编号相同", en: "Two rules of the channel have the same ID" },
  "problem.rule.enabled": { zh: "启用状态须为是或否", en: "Enabled must be true or false" },
  "problem.rule.kind": { zh: "规则类型无效", en: "The rule's kind is not valid" },
  "problem.rule.line_degenerate": { zh: "警戒线须由两个不同的点构成", en: "A line needs two distinct points" },
  "problem.rule.line_points": { zh: "警戒线须恰好有两个点", en: "A line needs exactly two points" },
  "problem.rule.missing_field": { zh: "该类型的规则缺少必填项", en: "The rule lacks a field its kind needs" },
  "problem.rule.no_classes": { zh: "规则至少需要一个目标类别", en: "A rule needs at least one class" },
  "problem.rule.not_a_number": { zh: "规则中的数值无效", en: "A number in the rule is not valid" },
  "problem.rule.out_of_range": { zh: "规则中的数值超出允许范围", en: "A number in the rule is out of range" },
  "problem.rule.point": { zh: "点须为 [x, y] 坐标", en: "Points must be [x, y] pairs" },
  "problem.rule.point_outside": { zh: "点须位于画面内（0 到 1 之间）", en: "Points must lie in the picture (0 to 1)" },
  "problem.rule.schedule": { zh: "布防时间表格式无效", en: "The schedule is not valid" },
  "problem.rule.schedule_days": { zh: "布防时段的星期设置无效", en: "A schedule window's days are not valid" },
  "problem.rule.schedule_empty": { zh: "布防时间表没有任何时段", en: "The schedule has no window" },
  "problem.rule.schedule_time": { zh: "布防时段的时间须为 HH:MM", en: "A schedule window's times must be HH:MM" },
  "problem.rule.schedule_windows": { zh: "布防时段设置无效", en: "The schedule's windows are not valid" },
  "problem.rule.schedule_zone": { zh: "布防时间表的时区无效", en: "The schedule's time zone is not valid" },
  "problem.rule.size_unit": { zh: "最小尺寸的单位无效", en: "The minimum size's unit is not valid" },
  "problem.rule.unknown_class": { zh: "规则中有未知的目标类别", en: "The rule names an unknown class" },
  "problem.rule.too_many": { zh: "每个通道最多 {max} 条规则", en: "A channel has at most {max} rules" },
  "problem.rule.unknown_field": { zh: "规则中有未知的字段", en: "The rule has an unknown field" },
  "problem.rule.version_conflict": { zh: "规则已被他人修改，请重新加载后再保存", en: "Someone else saved these rules meanwhile: reload them, then save" },
  "problem.rule.zone_empty": { zh: "区域须围出一块面积", en: "A zone must enclose an area" },
  "problem.rule.zone_self_intersecting": { zh: "区域的边不得相交", en: "A zone must not cross itself" },
  "problem.rule.zone_too_few_points": { zh: "区域至少需要三个点", en: "A zone needs at least three points" },

  // Why a KPI has no value (reason_code).
  "problem.kpi.unknown": { zh: "原因未知", en: "reason unknown" },
  "problem.kpi.no_key_areas": { zh: "没有重点公共区域图层", en: "No key-area layer" },
  "problem.kpi.no_roads": { zh: "没有道路图层", en: "No road layer" },
  "problem.kpi.no_intersections": { zh: "没有路口图层", en: "No intersection layer" },
  "problem.kpi.no_channels": { zh: "没有已备案的通道", en: "No channel on file" },
  "problem.kpi.no_upper_platform": { zh: "尚未注册上级平台（级联）", en: "No upper platform registered (cascade)" },
  "problem.kpi.no_camera_days": {
    zh: "{from} 至 {to} 没有可计的摄像机日：尚无已备案的通道",
    en: "No camera-day from {from} to {to}: no channel on file yet",
  },
  "problem.access.clearance": {
    zh: "通道 {id} 需要 {needed} 级密级许可，您的许可为 {clearance} 级",
    en: "Channel {id} needs clearance {needed}; yours is {clearance}",
  },
  "problem.access.window": {
    zh: "当前 {now} 不在允许的时段内（{windows}）",
    en: "Now ({now}) is outside the hours allowed ({windows})",
  },
  "problem.access.purpose": { zh: "请填写用途", en: "State a purpose" },
  "problem.access.purpose_length": {
    zh: "用途最多 {max} 个字符",
    en: "The purpose may be at most {max} characters",
  },
  "problem.access.case": {
    zh: "通道 {id} 的敏感级别为 {sensitivity}：请填写案件编号",
    en: "Channel {id} has sensitivity {sensitivity}: give a case number",
  },
  "problem.access.window_user": {
    zh: "时段指定的用户不存在",
    en: "A window names a user that does not exist",
  },
  "problem.access.windows_scoped": {
    zh: "访问时段适用于所有组织，只有不限组织的管理员可以修改",
    en: "Access windows apply to every organisation: only an unscoped administrator may change them",
  },
} satisfies Record<string, Entry>;
