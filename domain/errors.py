# ruff: noqa: RUF001, RUF100 -- Chinese messages use full-width punctuation on purpose.
"""Error codes, the rule each one cites, and their Chinese messages (DESIGN.md §3, §7).

One table, `_TABLE`, holds every code once; `RULE_IDS`, `CLAUSES` and `MESSAGES` are
views of it, so a new code cannot be added without its rule id and message.
"""

from enum import StrEnum


class ErrorCode(StrEnum):
    """Every refusal the service can give, by stable machine-readable code."""

    # Eligibility, E1-E8 (§3(1), §5(3))
    NOT_REGISTERED_IN_COUNTY = "not_registered_in_county"
    REGISTERED_UNDER_3_YEARS = "registered_under_3_years"
    NON_COMPLIANT_OPERATION = "non_compliant_operation"
    EXCELLENCE_MANAGEMENT_UNDER_2_YEARS = "excellence_management_under_2_years"
    POOR_CREDIT_RECORD = "poor_credit_record"
    MU_EFFICIENCY_BELOW_B = "mu_efficiency_below_b"
    MU_EFFICIENCY_MISSING = "mu_efficiency_missing"
    FAILED_INSPECTION = "failed_inspection"
    MAJOR_ACCIDENT = "major_accident"
    MAJOR_COMPLAINT = "major_complaint"
    SERIOUS_VIOLATION = "serious_violation"
    QUALITY_REAPPLY_WAIT = "quality_reapply_wait"
    INNOVATION_REAPPLY_WAIT = "innovation_reapply_wait"
    OTHER = "other"
    # Intake (DESIGN 3.1)
    DEADLINE_PASSED = "deadline_passed"
    DUPLICATE_APPLICATION = "duplicate_application"
    INVALID_CREDIT_CODE = "invalid_credit_code"
    NOT_IN_PHASE = "not_in_phase"
    # Review (DESIGN 3.2)
    PANEL_TOO_SMALL = "panel_too_small"
    PANEL_NEEDS_INDUSTRY_EXPERT = "panel_needs_industry_expert"
    LEADER_NOT_IN_PANEL = "leader_not_in_panel"
    CONFLICT_OF_INTEREST = "conflict_of_interest"
    INVALID_SCORE = "invalid_score"
    REVIEWER_NOT_ASSIGNED = "reviewer_not_assigned"
    NOT_PANEL_LEADER = "not_panel_leader"
    STAGE_CLOSED = "stage_closed"
    REVIEWS_INCOMPLETE = "reviews_incomplete"
    # Committee, publicity, approval (DESIGN 3.3)
    QUORUM_NOT_MET = "quorum_not_met"
    TALLY_EXCEEDS_PRESENT = "tally_exceeds_present"
    UNKNOWN_CANDIDATE = "unknown_candidate"
    BALLOTS_INCOMPLETE = "ballots_incomplete"
    RUNOFF_REQUIRED = "runoff_required"
    INVALID_OBJECTION = "invalid_objection"
    PUBLICITY_CLOSED = "publicity_closed"
    NOT_APPROVED = "not_approved"
    # Honors (DESIGN 3.4)
    INCIDENT_OUTSIDE_WINDOW = "incident_outside_window"
    # Generic service errors
    INVALID_INPUT = "invalid_input"
    NOT_FOUND = "not_found"
    CYCLE_EXISTS = "cycle_exists"
    ALREADY_EXISTS = "already_exists"
    CYCLE_CLOSED = "cycle_closed"
    UNKNOWN_ORGANIZATION = "unknown_organization"
    UNKNOWN_REVIEWER = "unknown_reviewer"
    OBJECTION_NOT_FOUND = "objection_not_found"
    OBJECTION_ALREADY_INVESTIGATED = "objection_already_investigated"
    OBJECTION_NOT_SUBSTANTIATED = "objection_not_substantiated"
    REVOCATION_NOT_PENDING = "revocation_not_pending"
    ALREADY_REVOKED = "already_revoked"
    HONOR_NOT_FOUND = "honor_not_found"
    INVALID_RULES = "invalid_rules"
    NOT_AUTHENTICATED = "not_authenticated"
    INVALID_CREDENTIALS = "invalid_credentials"
    ACCOUNT_LOCKED = "account_locked"
    FORBIDDEN = "forbidden"
    PASSWORD_CHANGE_REQUIRED = "password_change_required"
    INVALID_MATERIAL = "invalid_material"
    MATERIALS_LOCKED = "materials_locked"
    MATERIAL_TOO_LARGE = "material_too_large"
    BODY_TOO_LARGE = "body_too_large"
    RATE_LIMITED = "rate_limited"
    IDEMPOTENCY_CONFLICT = "idempotency_conflict"
    ACTIVITY_FAILED = "activity_failed"
    # Supervision (§2(3)3, §2(3)4, §6(1), §6(3), §6(7))
    REVIEWER_DISQUALIFIED = "reviewer_disqualified"
    REVIEWER_OUT_OF_TERM = "reviewer_out_of_term"
    IRREGULARITY_NOT_FOUND = "irregularity_not_found"
    IRREGULARITY_STATE = "irregularity_state"
    DRAW_NOT_FOUND = "draw_not_found"
    DRAW_DECIDED = "draw_decided"
    ADJUSTMENT_REASON_REQUIRED = "adjustment_reason_required"
    FOLLOW_UP_NOT_FOUND = "follow_up_not_found"


E = ErrorCode

# code: (rule id, seed clause, Chinese message)
_TABLE: dict[ErrorCode, tuple[str, str, str]] = {
    E.NOT_REGISTERED_IN_COUNTY: ("E1", "§3(1)1", "未在庆元县行政区域内注册登记"),
    E.REGISTERED_UNDER_3_YEARS: ("E1", "§3(1)1", "注册登记并正常运营不满3年"),
    E.NON_COMPLIANT_OPERATION: (
        "E2",
        "§3(1)2",
        "生产经营不符合法律法规、强制性标准或产业政策要求",
    ),
    E.EXCELLENCE_MANAGEMENT_UNDER_2_YEARS: ("E3", "§3(1)3", "实施卓越绩效管理不满2年"),
    E.POOR_CREDIT_RECORD: ("E5", "§3(1)5", "近三年有不良信用记录"),
    E.MU_EFFICIENCY_BELOW_B: ("E6", "§3(1)6", "工业企业上年度“亩均效益”综合评价未达到B档"),
    E.MU_EFFICIENCY_MISSING: ("E6", "§3(1)6", "缺少上年度“亩均效益”综合评价结果"),
    E.FAILED_INSPECTION: ("E7", "§3(1)7", "近三年在质量安全监督检查中出现不合格"),
    E.MAJOR_ACCIDENT: ("E7", "§3(1)7", "近三年发生重大质量、安全、环境污染或公共卫生事故"),
    E.MAJOR_COMPLAINT: ("E7", "§3(1)7", "近三年有因组织责任导致的重大有效投诉"),
    E.SERIOUS_VIOLATION: ("E7", "§3(1)7", "近三年有其他严重违法违规行为"),
    E.QUALITY_REAPPLY_WAIT: ("E8", "§5(3)", "获得“质量奖”未满四年，不得再次申请"),
    E.INNOVATION_REAPPLY_WAIT: ("E8", "§5(3)", "获得“创新奖”未满一年，不得再次申请"),
    E.OTHER: ("E3/E4", "§3(1)3, §3(1)4", "经职能部门核查不符合申报条件"),
    E.DEADLINE_PASSED: ("3.1", "§3(2)2", "已超过申报截止时间"),
    E.DUPLICATE_APPLICATION: ("3.1", "§3(2)2", "该组织在本评审周期内已提交申报"),
    E.INVALID_CREDIT_CODE: ("3.1", "§3(2)2", "统一社会信用代码无效"),
    E.NOT_IN_PHASE: ("3.1", "§4", "当前评审阶段不允许此操作"),
    E.PANEL_TOO_SMALL: ("3.2", "§2(4)", "评审组成员不足3名"),
    E.PANEL_NEEDS_INDUSTRY_EXPERT: ("3.2", "§2(4)", "评审组须包括申报组织所属行业的行业专家"),
    E.LEADER_NOT_IN_PANEL: ("3.2", "§2(4)", "评审组组长须为评审组成员"),
    E.CONFLICT_OF_INTEREST: ("3.2", "§6(1)", "评审员与申报组织存在利害关系，应当回避"),
    E.INVALID_SCORE: ("3.2", "§1(4)", "评分无效"),
    E.REVIEWER_NOT_ASSIGNED: ("3.2", "§2(4)", "评审员未被分配评审该申报组织"),
    E.NOT_PANEL_LEADER: ("3.2", "§2(4)", "只有评审组组长可以录入合议分"),
    E.STAGE_CLOSED: ("3.2", "§4(2)", "该评审阶段已结束"),
    E.REVIEWS_INCOMPLETE: ("3.2", "§4(2)", "尚有评审组未完成评分"),
    E.QUORUM_NOT_MET: ("3.3", "§4(4)", "出席委员不足三分之二，表决无效"),
    E.TALLY_EXCEEDS_PRESENT: ("3.3", "§4(4)", "票数合计超过出席人数"),
    E.UNKNOWN_CANDIDATE: ("3.3", "§4(4)", "不在候选或公示名单中的组织"),
    E.BALLOTS_INCOMPLETE: ("3.3", "§4(4)", "表决结果须包括该奖项的每一名候选组织，缺少"),
    E.RUNOFF_REQUIRED: ("3.3", "§4(4)", "末位票数与总得分均相同，须重新表决"),
    E.INVALID_OBJECTION: ("3.3", "§4(5)", "异议须署真实姓名并留联系方式"),
    E.PUBLICITY_CLOSED: ("3.3", "§4(5)", "不在公示期内，不受理异议"),
    E.NOT_APPROVED: ("3.3", "§4(6)", "未获县政府审定批准"),
    E.INCIDENT_OUTSIDE_WINDOW: ("3.4", "§6(6)", "事故发生在获奖后两年之外，不能据此撤销称号"),
    E.INVALID_INPUT: ("", "", "输入无效"),
    E.NOT_FOUND: ("", "", "未找到"),
    E.CYCLE_EXISTS: ("2", "§1(2)", "该年度评审周期已存在"),
    E.ALREADY_EXISTS: ("", "", "记录已存在或与已有记录冲突（可能是重复提交）"),
    E.CYCLE_CLOSED: ("2", "§1(2)", "该评审周期已结束或已取消"),
    E.UNKNOWN_ORGANIZATION: ("", "", "未登记的组织"),
    E.UNKNOWN_REVIEWER: ("3.2", "§2(3)3", "评审员不在专家库中"),
    E.OBJECTION_NOT_FOUND: ("3.3", "§4(5)", "未找到该异议"),
    E.OBJECTION_ALREADY_INVESTIGATED: ("3.3", "§4(5)", "该异议已调查核实"),
    E.OBJECTION_NOT_SUBSTANTIATED: ("3.3", "§4(5)", "该异议经调查不属实，无须评委会审查"),
    E.REVOCATION_NOT_PENDING: ("3.4", "§6(2), §6(6)", "没有待批准的撤销提请"),
    E.ALREADY_REVOKED: ("3.4", "§6(2), §6(6)", "该称号已被撤销"),
    E.HONOR_NOT_FOUND: ("3.4", "§5(1)", "未找到该获奖称号"),
    E.INVALID_RULES: ("5.1", "", "评审规则配置无效"),
    E.NOT_AUTHENTICATED: ("7", "", "未登录或登录已过期"),
    E.INVALID_CREDENTIALS: ("7", "", "用户名或密码错误"),
    E.ACCOUNT_LOCKED: ("7", "", "账户已被锁定，请稍后再试"),
    E.FORBIDDEN: ("7", "", "无权执行此操作"),
    E.PASSWORD_CHANGE_REQUIRED: ("7", "", "首次登录须先修改密码（POST /auth/password）"),
    E.INVALID_MATERIAL: ("7", "§3(2)2", "申报材料格式无效"),
    E.MATERIAL_TOO_LARGE: ("7", "§3(2)2", "申报材料超过大小限制"),
    E.MATERIALS_LOCKED: ("3.1", "§3(2)2", "申报截止后申报材料不可删除或替换"),
    E.BODY_TOO_LARGE: ("7", "", "请求内容过大"),
    E.RATE_LIMITED: ("7", "", "请求过于频繁，请稍后再试"),
    E.IDEMPOTENCY_CONFLICT: ("7", "", "重复请求的内容与原请求不一致"),
    E.ACTIVITY_FAILED: ("", "", "后台处理失败，请稍后重试"),
    E.REVIEWER_DISQUALIFIED: ("9", "§6(7)", "该评审员已被取消评审资格（§6(7)）"),
    E.REVIEWER_OUT_OF_TERM: ("9", "§2(3)3", "该评审员不在聘任期内，不能参加评审（§2(3)3）"),
    E.IRREGULARITY_NOT_FOUND: ("9", "§6(1)", "未找到该违规记录（§6(1)）"),
    E.IRREGULARITY_STATE: ("9", "§6(1)", "该违规记录当前状态不允许此操作（§6(1)）"),
    E.DRAW_NOT_FOUND: ("9", "§2(4)", "未找到该抽取记录（§2(4)）"),
    E.DRAW_DECIDED: ("9", "§2(4)", "该抽取结果已采用或调整（§2(4)）"),
    E.ADJUSTMENT_REASON_REQUIRED: ("9", "§2(4)", "调整抽取结果须说明理由（§2(4)）"),
    E.FOLLOW_UP_NOT_FOUND: ("9", "§2(3)4, §6(3)", "未找到该年度跟踪任务（§2(3)4, §6(3)）"),
}

RULE_IDS: dict[ErrorCode, str] = {code: row[0] for code, row in _TABLE.items()}
CLAUSES: dict[ErrorCode, str] = {code: row[1] for code, row in _TABLE.items()}
MESSAGES: dict[ErrorCode, str] = {code: row[2] for code, row in _TABLE.items()}

_STATUS: dict[int, frozenset[ErrorCode]] = {
    401: frozenset({E.NOT_AUTHENTICATED, E.INVALID_CREDENTIALS}),
    403: frozenset({E.FORBIDDEN, E.PASSWORD_CHANGE_REQUIRED}),
    404: frozenset(
        {
            E.NOT_FOUND,
            E.UNKNOWN_ORGANIZATION,
            E.UNKNOWN_REVIEWER,
            E.OBJECTION_NOT_FOUND,
            E.HONOR_NOT_FOUND,
            E.IRREGULARITY_NOT_FOUND,
            E.DRAW_NOT_FOUND,
            E.FOLLOW_UP_NOT_FOUND,
        }
    ),
    409: frozenset(
        {
            E.DEADLINE_PASSED,
            E.DUPLICATE_APPLICATION,
            E.NOT_IN_PHASE,
            E.STAGE_CLOSED,
            E.REVIEWS_INCOMPLETE,
            E.RUNOFF_REQUIRED,
            E.PUBLICITY_CLOSED,
            E.CYCLE_EXISTS,
            E.ALREADY_EXISTS,
            E.CYCLE_CLOSED,
            E.OBJECTION_ALREADY_INVESTIGATED,
            E.OBJECTION_NOT_SUBSTANTIATED,
            E.REVOCATION_NOT_PENDING,
            E.ALREADY_REVOKED,
            E.IDEMPOTENCY_CONFLICT,
            E.MATERIALS_LOCKED,
            E.IRREGULARITY_STATE,
            E.DRAW_DECIDED,
        }
    ),
    413: frozenset({E.MATERIAL_TOO_LARGE, E.BODY_TOO_LARGE}),
    423: frozenset({E.ACCOUNT_LOCKED}),
    429: frozenset({E.RATE_LIMITED}),
    503: frozenset({E.ACTIVITY_FAILED}),
}


def http_status(code: ErrorCode) -> int:
    """Suggested HTTP status for `code` (DESIGN §7); 422 for every rule refusal not listed."""
    for status, codes in _STATUS.items():
        if code in codes:
            return status
    return 422


class DomainError(Exception):
    """A refusal by a rule: carries its code, the rule id it cites and a Chinese message."""

    code: ErrorCode
    rule: str
    message: str
    detail: str | None

    def __init__(self, code: ErrorCode, detail: str | None = None, rule: str | None = None) -> None:
        """`rule` overrides the code's own rule id where one code serves many commands
        (a vote's `not_in_phase` cites §4(4), a finding's §4(1))."""
        self.code = ErrorCode(code)
        self.rule = rule or RULE_IDS[self.code]
        self.detail = detail
        base = MESSAGES[self.code]
        self.message = f"{base}：{detail}" if detail else base
        super().__init__(self.message)

    def __reduce__(
        self,
    ) -> tuple[type["DomainError"], tuple[ErrorCode, str | None, str | None]]:
        # Keeps the exception picklable with its constructor arguments.
        return (type(self), (self.code, self.detail, self.rule))

    def __repr__(self) -> str:
        cited = "" if self.rule == RULE_IDS[self.code] else f", rule={self.rule!r}"
        return f"DomainError({self.code.value!r}, detail={self.detail!r}{cited})"
