"""Messages of the checks of form (file, YAML, schema, record layout), in Chinese and English.

Rule messages live with their rules in policies/; these belong to the engine itself and so to
the code. Each entry: message and hint per language, ``str.format`` fields from the caller.
"""

from __future__ import annotations

from typing import Any

from zhixing.diagnostics import Severity, Violation

CATALOG: dict[str, dict[str, dict[str, str]]] = {
    "file.too-large": {
        "message": {
            "zh": "文件大小 {size} 字节，超过上限 {limit} 字节，未检查",
            "en": "file is {size} bytes, over the {limit}-byte limit; not checked",
        },
        "hint": {"zh": "一条记录一个文件；正文请放在单独的文本文件中", "en": "one record per file; keep long bodies in a separate text file"},
    },
    "file.not-utf8": {
        "message": {
            "zh": "文件不是 UTF-8 编码（第 {line} 行附近）",
            "en": "file is not UTF-8 (near line {line})",
        },
        "hint": {"zh": "请用 UTF-8 编码另存", "en": "save the file as UTF-8"},
    },
    "file.gbk": {
        "message": {
            "zh": "文件看起来是 GBK 编码，不是 UTF-8（第 {line} 行起）",
            "en": "file looks like GBK, not UTF-8 (from line {line})",
        },
        "hint": {
            "zh": "在编辑器中选择“以 UTF-8 编码保存”（记事本：另存为 → 编码 UTF-8）",
            "en": "re-save it as UTF-8 (Notepad: Save As → Encoding UTF-8)",
        },
    },
    "file.unreadable": {
        "message": {"zh": "无法读取文件：{error}", "en": "cannot read file: {error}"},
        "hint": {"zh": "检查文件权限和路径", "en": "check the file's permissions and path"},
    },
    "body.format": {
        "message": {"zh": "正文文件格式 “{suffix}” 无法统计字数，只接受 {accepted}", "en": "body format '{suffix}' cannot be counted; accepted: {accepted}"},
        "hint": {"zh": "在 Word 或 WPS 中打开，选择“文件 → 另存为”，保存类型选“Word 文档（*.docx）”，再把 body_file 改成新文件名", "en": "open it in Word or WPS, File → Save As → Word Document (*.docx), and point body_file at the new file"},
    },
    "body.encoding": {
        "message": {"zh": "正文文本文件是 {encoding} 编码，不是 UTF-8，无法统计字数", "en": "the body text is in {encoding}, not UTF-8; it cannot be counted"},
        "hint": {"zh": "在记事本中“另存为”，编码选“UTF-8”；或直接使用 Word 文档（.docx）", "en": "re-save it as UTF-8 (Notepad: Save As → Encoding UTF-8), or use the Word document (.docx)"},
    },
    "body.docx-broken": {
        "message": {"zh": "正文 Word 文件无法打开（{error}），可能已损坏或不是 .docx", "en": "the Word body cannot be opened ({error}); damaged or not a .docx"},
        "hint": {"zh": "在 Word 或 WPS 中重新另存为 .docx", "en": "save it again as .docx from Word or WPS"},
    },
    "body.archive-limit": {
        "message": {"zh": "正文 Word 文件超出上限：{what} {found}，上限 {limit}；未读取", "en": "the Word body is over a limit: {what} {found}, limit {limit}; not read"},
        "hint": {"zh": "正常的公文不会这样：在 Word 或 WPS 中重新另存为 .docx，图片和附件不要放进正文", "en": "a real document is not like this: save it again as .docx from Word or WPS, without embedded files"},
    },
    "body.too-long": {
        "message": {"zh": "正文有 {chars} 个字符，超过上限 {limit} 个；未统计", "en": "the body has {chars} characters, over the limit of {limit}; not counted"},
        "hint": {"zh": "检查是否放错了文件；正文只放公文本身", "en": "check that this is the right file; the body holds the document only"},
    },
    "record.body-problem": {
        "message": {"zh": "正文文件 {file} 无法统计字数：{problem}", "en": "the body file {file} cannot be counted: {problem}"},
        "hint": {"zh": "按正文文件上的提示修改；第16条的篇幅检查需要能读取的正文", "en": "fix the body file as its own message says; Art. 16 needs a readable body"},
    },
    "file.symlink": {
        "message": {"zh": "这是符号链接，不是普通文件，未读取", "en": "this is a symbolic link, not a regular file; not read"},
        "hint": {"zh": "records/ 和 policies/ 下只能放普通文件：请把内容复制进来", "en": "records/ and policies/ hold regular files only: copy the content in"},
    },
    "file.not-regular": {
        "message": {"zh": "这不是普通文件（设备、管道或目录链接），未读取", "en": "not a regular file (a device, pipe or linked folder); not read"},
        "hint": {"zh": "records/ 和 policies/ 下只能放普通文件", "en": "records/ and policies/ hold regular files only"},
    },
    "file.unexpected": {
        "message": {"zh": "records/ 下不认识的文件：{why}", "en": "unexpected file under records/: {why}"},
        "hint": {"zh": "记录用 .yaml 后缀；正文文件须由同目录的记录的 body_file 引用", "en": "records end in .yaml; a body file must be named by a record's body_file in the same folder"},
    },
    "repo.cache-file": {
        "message": {"zh": "仓库中提交了缓存或序列化文件 {path}", "en": "a cache or serialized file is committed: {path}"},
        "hint": {"zh": "用 git rm --cached 删除它：这类文件可能被工具加载执行，不得提交", "en": "remove it with git rm --cached: such files could be loaded and run by a tool"},
    },
    "text.forbidden-char": {
        "message": {"zh": "字段 {field} 第 {position} 个字符是不允许的不可见字符 {char}", "en": "field {field}: character {position} is a forbidden invisible character, {char}"},
        "hint": {"zh": "删除这个字符（常见于从网页或 Word 复制的文字）；换行只能用于多行文字（| 块）", "en": "delete it (it often comes with text copied from the web or Word); line breaks belong in block text (|) only"},
    },
    "text.too-long": {
        "message": {"zh": "字段 {field} 有 {length} 个字符，超过上限 {limit}", "en": "field {field} has {length} characters, over the {limit} limit"},
        "hint": {"zh": "长文字（如正文）放在单独的文件中", "en": "put long text (a body) in its own file"},
    },
    "yaml.too-many-items": {
        "message": {"zh": "{field} 有 {count} 项，超过上限 {limit} 项，未检查", "en": "{field} has {count} items, over the {limit} limit; not checked"},
        "hint": {"zh": "一条记录只写一件事；大量条目请分成多条记录", "en": "one record, one matter: split long lists into several records"},
    },
    "record.registry-misplaced": {
        "message": {"zh": "单位名录只能是 records/units.yaml，此处的 units.yaml 不被采用", "en": "the unit registry is records/units.yaml only; this units.yaml is not used"},
        "hint": {"zh": "删除这个文件；单位名录由县政府办公室和法制部门维护", "en": "delete this file; the registry is kept by the county office and the legal department"},
    },
    "record.registry-missing": {
        "message": {"zh": "单位名录 records/units.yaml {why}", "en": "the unit registry records/units.yaml {why}"},
        "hint": {"zh": "恢复单位名录：没有它，所有单位检查都无法进行", "en": "restore the registry: without it no unit check can run"},
    },
    "registry.reviewer-shared": {
        "message": {"zh": "审核人 {reviewer} 同时审核{unit}和登记其问题的{office}：一个人既能合并事实又能登记、处理它", "en": "reviewer {reviewer} reviews both {unit} and {office}, which registers its findings"},
        "hint": {"zh": "一名审核人只审核其中一方：从一个单位的 reviewers 中去掉这个账号", "en": "a reviewer reviews one side only: remove the handle from one unit's reviewers"},
    },
    "record.id-reserved": {
        "message": {"zh": "编号 “{id}” 是网站自用的页面名，不能作为编号（这些名字都不能用：{names}）", "en": "id '{id}' is a page name the site uses itself ({names})"},
        "hint": {"zh": "换一个编号（zhixing new 会生成可用的编号），文件名与编号一致", "en": "choose another id (zhixing new makes one) and name the file after it"},
    },
    "record.id-personal": {
        "message": {"zh": "{what} “{value}” 像手机号或身份证号", "en": "{what} '{value}' looks like a phone or ID number"},
        "hint": {"zh": "编号和文件名会出现在公开网址中：请改用不含个人信息的编号", "en": "ids and file names appear in public URLs: choose one without personal data"},
    },
    "record.body-outside": {
        "message": {"zh": "正文文件 “{file}” 必须与记录在同一目录（只写文件名）", "en": "body file '{file}' must sit beside the record (a plain file name)"},
        "hint": {"zh": "把正文文件放在记录旁边，body_file 只写文件名", "en": "put the body beside the record and give only its name"},
    },
    "record.approval-authority": {
        "message": {"zh": "批准须由{allowed}作出，并放在其目录下；本批准在 “{unit}” 的目录中", "en": "the approval must be made by {allowed} and filed in its folder; this one is filed under '{unit}'"},
        "hint": {"zh": "由有权批准的机关在 records/<机关>/approvals/ 下提交批准记录（依据：{basis}）", "en": "the authorised body files the approval under records/<body>/approvals/ (basis: {basis})"},
    },
    "record.approval-late": {
        "message": {"zh": "批准日期 {date} 晚于被豁免的记录 {ref} 的日期 {record_date}：事后批准不能豁免", "en": "approved on {date}, after the record {ref} it excuses ({record_date}): an approval cannot come afterwards"},
        "hint": {"zh": "例外须事先报批", "en": "an exception must be approved beforehand"},
    },
    "record.engine-rule": {
        "message": {"zh": "规则 {check} 检查本记录时出错：{error}", "en": "rule {check} failed on this record: {error}"},
        "hint": {"zh": "这是 zhixing 的缺陷或记录中有超出范围的值；请报告", "en": "a bug in zhixing or an out-of-range value in the record; please report it"},
    },
    "schema.disagree": {
        "message": {"zh": "记录不符合 {schema}（两个校验器的判断不一致，按不合格处理）", "en": "the record does not fit {schema} (the two validators disagree; treated as invalid)"},
        "hint": {"zh": "检查字段中的多余换行、空格和超出范围的值", "en": "look for stray line breaks, spaces and out-of-range values"},
    },
    "change.type-changed": {
        "message": {"zh": "文件 {path} 的类型被改变（如改为符号链接）", "en": "{path} changed type (for example into a symbolic link)"},
        "hint": {"zh": "恢复为普通文件", "en": "restore it as a regular file"},
    },
    "change.body-silent-edit": {
        "message": {"zh": "已合并记录的正文文件 {file} 被修改，但记录没有新增修改记录", "en": "the body file {file} of a merged record changed without a new revisions entry"},
        "hint": {"zh": "在记录的 revisions 末尾加一项：date 和 reason", "en": "append a revisions entry (date, reason) to the record"},
    },
    "change.withdrawal-rewritten": {
        "message": {"zh": "已有的撤回（withdrawn）被改动或删除", "en": "an existing withdrawal was changed or removed"},
        "hint": {"zh": "撤回不能取消或改写；如需恢复，另建一条新记录", "en": "a withdrawal is final; file a new record instead"},
    },
    "change.revision-date": {
        "message": {"zh": "新增修改记录的日期 {date} {why}", "en": "the new revisions entry's date {date} {why}"},
        "hint": {"zh": "修改日期填实际修改的日期", "en": "date the revision with the day it was made"},
    },
    "change.parameter-rewritten": {
        "message": {"zh": "参数 {rule}.{parameter} 自 {date} 起的值已经生效，不能改写或删除（{old} → {new}）", "en": "parameter {rule}.{parameter}'s value from {date} is already in force and cannot be rewritten ({old} → {new})"},
        "hint": {"zh": "新的取值加一个以后的生效日期，旧值保留", "en": "add the new value under a later effective date and keep the old one"},
    },
    "registration.unknown-finding": {
        "message": {"zh": "登记的问题 {finding} 不存在（规则或记录编号不对）", "en": "the registered finding {finding} does not exist (wrong rule or record id)"},
        "hint": {"zh": "问题编号见 zhixing findings 的输出", "en": "finding ids are listed by zhixing findings"},
    },
    "registration.office": {
        "message": {"zh": "问题 {finding} 只能由{allowed}登记，本登记在 “{unit}” 的目录中{own}", "en": "the finding {finding} may be registered only by {allowed}; this registration is filed under '{unit}'{own}"},
        "hint": {"zh": "登记放在有权登记的监督部门的目录下（policies/supervision.yaml）", "en": "file the registration in the supervising office's folder (policies/supervision.yaml)"},
    },
    "registration.duplicate": {
        "message": {"zh": "问题 {finding} 已在登记 {other} 中登记", "en": "the finding {finding} is already registered in {other}"},
        "hint": {"zh": "一个问题只登记一次；处理有变化时修改原登记并在 revisions 中说明", "en": "register a finding once; amend that registration with a revisions entry"},
    },
    "change.finding-erased": {
        "message": {"zh": "本次改动使已有的问题 {finding} 消失（更正或撤回记录），但{office}没有在本次改动中登记", "en": "this change makes the existing finding {finding} disappear (a correction or withdrawal) without a registration by {office} in the same change"},
        "hint": {"zh": "更正或撤回带有问题的记录，须监督部门先登记这个问题、处理方式写“准予更正”（zhixing register 问题编号 --handling 准予更正），登记合并后再提交更正；也可以在同一合并请求中登记", "en": "correcting or withdrawing a record with a finding needs the supervising office: it registers the finding with handling 准予更正 first (zhixing register FINDING --handling 准予更正), then the correction passes; or it registers in the same change"},
    },
    "change.reclassified": {
        "message": {"zh": "本次改动把带有问题 {finding} 的记录从公开改为不公开（{before} → {after}），问题将从公开的问题清单上消失，但{office}没有在本次改动中登记", "en": "this change takes a record with the finding {finding} out of public view ({before} → {after}), removing it from the public list, without a registration by {office} in the same change"},
        "hint": {"zh": "改变已合并记录的公开属性与更正一样，须监督部门先登记这个问题（处理方式“准予更正”，写明不公开的依据），登记合并后再提交；也可以在同一合并请求中登记", "en": "changing a merged record's visibility needs the supervising office's registration (handling 准予更正) first, like a correction"},
    },
    "change.policy-removed": {
        "message": {"zh": "政策或结构的改动使已有的问题 {finding} 不再成立", "en": "the policy or schema change removes the existing finding {finding}"},
        "hint": {"zh": "由改动政策的审核人（县政府办公室、法制部门）确认", "en": "for the reviewers of the policy change (county office, legal department) to confirm"},
    },
    "yaml.syntax": {
        "message": {"zh": "YAML 语法错误：{problem}", "en": "YAML syntax error: {problem}"},
        "hint": {"zh": "检查缩进、冒号后的空格和引号是否成对", "en": "check indentation, the space after colons and matching quotes"},
    },
    "yaml.tab": {
        "message": {"zh": "缩进中含有制表符（Tab）", "en": "tab character in indentation"},
        "hint": {"zh": "YAML 只能用空格缩进，请把 Tab 换成两个空格", "en": "YAML indents with spaces only; replace the tab with two spaces"},
    },
    "yaml.fullwidth-colon": {
        "message": {"zh": "第 {line} 行第 {column} 列用了中文冒号“：”，应为英文冒号“:”，后面加一个空格", "en": "line {line}, column {column}: a full-width colon '：'; use ':' followed by a space"},
        "hint": {"zh": "切换到英文输入法输入冒号，冒号后加一个空格", "en": "type the colon with an English keyboard layout, then a space"},
    },
    "yaml.colon-space": {
        "message": {"zh": "第 {line} 行第 {column} 列：字段名后的冒号“:”后面缺少空格", "en": "line {line}, column {column}: no space after the key's colon ':'"},
        "hint": {"zh": "在冒号后加一个空格，例如 chair: 局长", "en": "add a space after the colon, e.g. chair: 局长"},
    },
    "yaml.fullwidth-space": {
        "message": {"zh": "第 {line} 行第 {column} 列用了全角空格“\u3000”（中文输入法的空格）", "en": "line {line}, column {column}: a full-width space (U+3000)"},
        "hint": {"zh": "缩进和冒号后只能用英文空格：删除全角空格，重新用英文输入法输入空格", "en": "indent and separate with ASCII spaces only"},
    },
    "yaml.fullwidth-quote": {
        "message": {"zh": "第 {line} 行第 {column} 列：整段文字被中文引号包住，引号会成为文字的一部分", "en": "line {line}, column {column}: the value is wrapped in full-width quotes, which would become part of the text"},
        "hint": {"zh": "去掉两端的中文引号；如需加引号，用英文引号 \" \"", "en": "remove the full-width quotes; quote with ASCII quotes if needed"},
    },
    "yaml.fullwidth-bracket": {
        "message": {"zh": "第 {line} 行第 {column} 列用了中文括号“［”或“｛”，列表和映射要用英文括号 [ ] 或 {{ }}", "en": "line {line}, column {column}: a full-width bracket; lists and mappings use ASCII [ ] and {{ }}"},
        "hint": {"zh": "切换到英文输入法输入括号", "en": "type the brackets with an English keyboard layout"},
    },
    "yaml.trailing-space": {
        "message": {"zh": "行尾有多余的空白", "en": "trailing white space"},
        "hint": {"zh": "删除行尾空格", "en": "remove the trailing spaces"},
    },
    "yaml.final-newline": {
        "message": {"zh": "文件末尾缺少换行", "en": "no newline at the end of the file"},
        "hint": {"zh": "在最后一行后加一个换行", "en": "end the file with a newline"},
    },
    "yaml.duplicate-key": {
        "message": {"zh": "重复的键 “{key}”（第 {first} 行已出现）", "en": "duplicate key '{key}' (first at line {first})"},
        "hint": {"zh": "删除或合并重复的键", "en": "remove or merge the duplicate key"},
    },
    "yaml.alias": {
        "message": {"zh": "不允许使用 YAML 锚点或别名（&、*）", "en": "YAML anchors and aliases (&, *) are not allowed"},
        "hint": {"zh": "把内容直接写出来；含 & 或 * 开头的文字请加引号", "en": "write the content out; quote text that starts with & or *"},
    },
    "yaml.line-break": {
        "message": {"zh": "第 {line} 行第 {column} 列有 {char}：YAML 把它当作换行，看起来是一行的地方可能藏着另一个字段", "en": "line {line}, column {column} holds {char}: YAML reads it as a line break, so what looks like one line may hide another key"},
        "hint": {"zh": "删除这个看不见的字符（多半是从网页或 Word 复制来的），需要换行就直接回车", "en": "delete the invisible character (often pasted from a web page or Word); press Enter for a new line"},
    },
    "yaml.tag": {
        "message": {"zh": "不允许使用 YAML 标签 “{tag}”", "en": "YAML tag '{tag}' is not allowed"},
        "hint": {"zh": "删除标签；以 ! 开头的文字请加引号", "en": "remove the tag; quote text that starts with !"},
    },
    "yaml.key": {
        "message": {"zh": "键必须是简单文字", "en": "keys must be plain scalars"},
        "hint": {"zh": "把复合键改为普通字段名", "en": "use a plain field name as the key"},
    },
    "yaml.too-deep": {
        "message": {"zh": "嵌套层级超过 {limit} 层", "en": "nesting deeper than {limit} levels"},
        "hint": {"zh": "记录结构请参照模板", "en": "follow the record template's structure"},
    },
    "yaml.not-mapping": {
        "message": {"zh": "文件顶层必须是键值映射（字段: 值），实际是{found}", "en": "the top level must be a mapping (field: value), found {found}"},
        "hint": {"zh": "参照模板，用 zhixing new 生成记录", "en": "start from a template: zhixing new"},
    },
    "schema": {
        "message": {"zh": "字段 {field}：{detail}", "en": "field {field}: {detail}"},
        "hint": {"zh": "{about}", "en": "{about}"},
    },
    "record.kind": {
        "message": {"zh": "无法识别的记录位置 {where}", "en": "unrecognised record location {where}"},
        "hint": {
            "zh": "记录应放在 records/<单位>/<类别>/<编号>.yaml，类别为：{kinds}",
            "en": "records go in records/<unit>/<kind>/<id>.yaml, kinds: {kinds}",
        },
    },
    "record.id": {
        "message": {"zh": "记录编号 “{id}” 与文件名 “{stem}” 不一致", "en": "record id '{id}' does not match the file name '{stem}'"},
        "hint": {"zh": "编号就是文件名（不含 .yaml）", "en": "the id is the file name without .yaml"},
    },
    "record.unit-folder": {
        "message": {"zh": "记录属于单位 “{unit}”，却放在 “{folder}” 的目录下", "en": "record belongs to unit '{unit}' but is filed under '{folder}'"},
        "hint": {"zh": "把文件移到 records/{unit}/ 下，或改正 unit 字段", "en": "move the file to records/{unit}/ or correct the unit field"},
    },
    "record.unknown-unit": {
        "message": {"zh": "单位 “{unit}” 不在单位名录中{guess}", "en": "unit '{unit}' is not in the unit registry{guess}"},
        "hint": {"zh": "单位编号见 records/units.yaml", "en": "unit ids are listed in records/units.yaml"},
    },
    "record.unit-not-valid": {
        "message": {"zh": "单位 “{unit}” 在 {date} 不存在（有效期 {valid_from} 至 {valid_to}）", "en": "unit '{unit}' did not exist on {date} (valid {valid_from} to {valid_to})"},
        "hint": {"zh": "机构调整后请使用新单位编号", "en": "after a restructuring use the new unit's id"},
    },
    "record.duplicate-id": {
        "message": {"zh": "记录编号 “{id}” 与 {other} 重复", "en": "record id '{id}' is also used by {other}"},
        "hint": {"zh": "同类记录的编号必须唯一", "en": "ids must be unique within a kind"},
    },
    "record.reference": {
        "message": {"zh": "引用的{target_kind} “{ref}” 不存在", "en": "referenced {target_kind} '{ref}' does not exist"},
        "hint": {"zh": "检查编号拼写", "en": "check the id's spelling"},
    },
    "record.body-missing": {
        "message": {"zh": "正文文件 {file} 不存在", "en": "body file {file} does not exist"},
        "hint": {"zh": "正文文件与记录放在同一目录", "en": "keep the body file beside the record"},
    },
    "calendar.missing-year": {
        "message": {"zh": "没有 {year} 年的工作日历，无法计算工作日", "en": "no working-day calendar for {year}"},
        "hint": {
            "zh": "升级 chinesecalendar 软件包，或在 policies/calendar.yaml 的 extra_years 中补全 {year} 年的节假日安排",
            "en": "upgrade chinesecalendar or add {year} to extra_years in policies/calendar.yaml",
        },
    },
    "calendar.unconfirmed": {
        "message": {"zh": "{year} 年的本地放假日期尚未核对（policies/calendar.yaml 中 confirmed: false），工作日计算用到了它们", "en": "the local rest days of {year} are unconfirmed (confirmed: false in policies/calendar.yaml) and a working-day count used them"},
        "hint": {"zh": "按县政府办公室当年的放假通知核对日期和文号后，改为 confirmed: true", "en": "check the dates against the county's notice, then set confirmed: true"},
    },
    "change.silent-edit": {
        "message": {"zh": "已合并的记录被修改（{fields}），但没有新增修改记录", "en": "a merged record was edited ({fields}) without a new revisions entry"},
        "hint": {"zh": "在 revisions 末尾加一项：date（修改日期）和 reason（修改原因）", "en": "append a revisions entry with date and reason"},
    },
    "change.history-rewritten": {
        "message": {"zh": "已有的修改记录（revisions）被改动或删除", "en": "existing revisions entries were changed or removed"},
        "hint": {"zh": "修改记录只能在末尾追加", "en": "revisions may only be appended to"},
    },
    "change.deleted": {
        "message": {"zh": "已合并的记录 {path} 被删除或移走", "en": "the merged record {path} was deleted or moved"},
        "hint": {
            "zh": "记录不能删除：恢复文件，加上 withdrawn（date 撤回日期、reason 撤回原因）表示撤回",
            "en": "records are never deleted: restore it and mark it withdrawn with date and reason",
        },
    },
    "engine.internal": {
        "message": {"zh": "检查 {check} 运行出错：{error}", "en": "check {check} failed: {error}"},
        "hint": {"zh": "这是 zhixing 的缺陷，请报告", "en": "this is a bug in zhixing; please report it"},
    },
    "record.approval-unknown": {
        "message": {"zh": "引用的批准 “{ref}” 不存在", "en": "cited approval '{ref}' does not exist"},
        "hint": {"zh": "批准记录放在 records/<单位>/approvals/ 下", "en": "approvals live in records/<unit>/approvals/"},
    },
    "record.approval-mismatch": {
        "message": {"zh": "批准 “{ref}” 不适用于本记录：{why}", "en": "approval '{ref}' does not cover this record: {why}"},
        "hint": {"zh": "批准须写明被豁免的规则和本记录编号，且在有效期内", "en": "an approval names the exempted rule and this record, and is in force on its date"},
    },
    "record.approval-rule": {
        "message": {"zh": "批准所豁免的规则 “{approved_rule}” {why}", "en": "the approved rule '{approved_rule}' {why}"},
        "hint": {"zh": "只有以下条文的规则允许经批准的例外：{articles}", "en": "only the rules of these articles accept an approved exception: {articles}"},
    },
}


# argparse's own words (usage lines, errors, help headings) in Chinese: the command line answers a
# clerk in Chinese unless --lang en is given.
ARGPARSE_ZH: dict[str, str] = {
    "usage: ": "用法：",
    "options": "选项",
    "positional arguments": "位置参数",
    "show this help message and exit": "显示本帮助并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "the following arguments are required: %s": "缺少必填参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项：%(value)r（可选：%(choices)s）",
    "invalid %(type)s value: %(value)r": "无效的 %(type)s 值：%(value)r",
    "expected one argument": "需要一个值",
    "expected at least one argument": "至少需要一个值",
    "expected at most one argument": "最多一个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是：%(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "参数 %s 中必须给出一个",
}


def engine_violation(
    path: str,
    line: int,
    column: int,
    rule: str,
    /,
    severity: Severity = Severity.ERROR,
    entry_key: str | None = None,
    **params: Any,
) -> Violation:
    """A Violation for an engine check, its texts rendered from CATALOG[entry_key or rule].

    A parameter may itself be a ``{"zh": …, "en": …}`` mapping, rendered per language.
    """
    entry = CATALOG[entry_key or rule]
    return Violation(
        path=path,
        line=line,
        column=column,
        rule=rule,
        article=None,
        severity=severity,
        message=fill(entry["message"], params),
        hint=fill(entry["hint"], params),
    )


def fill(templates: dict[str, str], params: dict[str, Any]) -> dict[str, str]:
    """Each language's template filled in; bilingual parameters give their own language."""
    out = {}
    for lang, text in templates.items():
        values = {k: (v.get(lang, v.get("zh")) if isinstance(v, dict) else v) for k, v in params.items()}
        out[lang] = text.format(**values)
    return out
