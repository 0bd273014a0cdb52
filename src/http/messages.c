/* messages.c: the human side of every machine code the API returns, in Chinese (default)
 * and English. Codes are stable; texts may be improved at will. */
#include "http/messages.h"
#include <string.h>

static const struct rx_message messages[] = {
    /* problems */
    {"validation_failed", "提交的内容有误", "The request has invalid fields"},
    {"invalid_json", "请求内容不是有效的 JSON", "The request body is not valid JSON"},
    {"duplicate_key", "JSON 中有重复的字段", "The JSON body has a duplicate key"},
    {"json_too_deep", "JSON 嵌套层数过多", "The JSON body is nested too deeply"},
    {"body_not_object", "请求内容必须是 JSON 对象", "The request body must be a JSON object"},
    {"body_too_large", "请求内容过大", "The request body is too large"},
    {"headers_too_large", "请求头过大", "The request headers are too large"},
    {"unsupported_media_type", "请使用 Content-Type: application/json",
     "Use Content-Type: application/json"},
    {"not_found", "找不到该资源", "Not found"},
    {"method_not_allowed", "不支持该请求方法", "Method not allowed"},
    {"unauthenticated", "请先登录", "Please log in"},
    {"forbidden", "没有权限", "You do not have permission to do this"},
    {"bad_origin", "请求来源不被允许", "Request origin not allowed"},
    {"login_failed", "账号或密码错误", "Wrong username or password"},
    {"too_many_attempts", "尝试次数过多，请稍后再试", "Too many attempts; try again later"},
    {"conflict", "与现有数据冲突", "Conflicts with existing data"},
    {"idempotency_key_reused", "该幂等键已用于另一请求", "This Idempotency-Key was used for another request"},
    {"storage_unavailable", "数据暂时无法保存，请稍后重试", "The data could not be saved; try again later"},
    {"internal_error", "服务器内部错误", "Internal server error"},
    {"out_of_memory", "服务器繁忙，请稍后重试", "The server is busy; try again later"},
    {"shutting_down", "服务器正在重启，请稍后重试", "The server is restarting; try again shortly"},
    {"has_dependents", "仍有关联数据，不能删除", "It still has dependent records and cannot be deleted"},
    /* field errors */
    {"required", "必填", "is required"},
    {"wrong_type", "类型不正确", "has the wrong type"},
    {"too_long", "过长", "is too long"},
    {"too_short", "过短", "is too short"},
    {"invalid", "格式不正确", "is not valid"},
    {"invalid_utf8", "含有无效字符编码", "is not valid UTF-8"},
    {"control_chars", "含有不允许的控制字符", "contains control characters"},
    {"out_of_range", "超出允许范围", "is out of range"},
    {"unknown_field", "不认识的字段", "is not a known field"},
    {"not_found_ref", "引用的记录不存在", "refers to a record that does not exist"},
    {"taken", "已被占用", "is already taken"},
    {"invalid_id_length", "身份证号码应为18位", "an ID card number has 18 characters"},
    {"invalid_id_chars", "身份证号码只能包含数字和末位X", "an ID card number has digits and a final X only"},
    {"invalid_id_birthdate", "身份证号码中的出生日期无效", "the birth date in the ID number is not a real date"},
    {"invalid_id_checksum", "身份证号码校验位不正确", "the ID number's check digit is wrong"},
    {"invalid_phone", "手机号码格式不正确", "is not a valid mainland mobile number"},
    {"weak_password", "密码至少需要8个字符", "a password needs at least 8 characters"},
    /* registry: org tree, branches, categories, teams */
    {"kind_not_allowed", "该类型的单位不能设在此上级之下", "this kind of unit cannot sit under that parent"},
    {"org_cycle", "不能移到自己或自己的下级之下", "a unit cannot move under itself or its own descendant"},
    {"invalid_org_code", "统计用区划代码应为12位数字", "a statistical division code has 12 digits"},
    {"invalid_category_code", "代码只能由小写字母、数字和下划线组成（2-40位，不以local_开头）",
     "a code has 2 to 40 lower-case letters, digits or underscores and does not start with local_"},
    {"invalid_date", "日期应为有效的 YYYY-MM-DD", "is not a valid YYYY-MM-DD date"},
    {"after_to", "开始日期晚于结束日期", "is after the end date"},
    {"too_many_points", "时间点过多，请缩短时间段或加大间隔", "too many dates; shorten the period or use a longer interval"},
    {"subtree_too_large", "下级单位过多，请限制层级", "the subtree is too large; limit max_depth"},
    {"not_community", "必须是社区", "must be a community"},
    {"not_national_parent", "上级类别必须是全国志愿服务类别的大类",
     "the parent must be a top-level national category"},
    {"branch_not_above", "该党组织不在队伍所在社区或其上级", "the branch is not at the team's community or above it"},
    {"already_member", "此人已在该队伍中", "the person is already in this team"},
    {"membership_overlap", "与此人在该队伍的另一段任职时间重叠",
     "overlaps another period of this person in this team"},
    {"before_joined", "离队日期早于入队日期", "is before the date the person joined"},
    {"not_branch_member", "此人不是该党组织的现有党员", "the person is not a current member of this branch"},
    {"team_outside_branch", "该队伍不在此党组织所辖范围", "the team is outside this branch's area"},
    {"blocking_dependents", "仍有关联记录", "still has dependent records"},
    {"dep_children", "下级单位", "child units"},
    {"dep_people", "人员", "people"},
    {"dep_teams", "队伍", "teams"},
    {"dep_branches", "党组织", "Party branches"},
    {"dep_volunteers", "志愿者登记", "volunteer registrations"},
    {"dep_grants", "角色授权", "role grants"},
    {"dep_categories", "本社区服务类别", "local service categories"},
    {"dep_party_members", "党员记录", "Party membership records"},
    {"dep_members", "队员记录", "membership records"},
};

const struct rx_message *rx_message_find(const char *code)
{
    for (size_t i = 0; i < sizeof messages / sizeof messages[0]; i++)
        if (strcmp(messages[i].code, code) == 0) return &messages[i];
    return NULL;
}
