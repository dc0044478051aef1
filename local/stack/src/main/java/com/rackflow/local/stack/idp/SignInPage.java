package com.rackflow.local.stack.idp;

import java.util.List;
import java.util.Map;

import com.rackflow.local.stack.seed.Role;
import com.rackflow.local.stack.seed.StaffMember;
import com.rackflow.local.stack.seed.StaffStatus;

/** The local identity provider's sign-in page (zh-CN): the staff to sign in as, each a button, plus any user id. */
final class SignInPage {

    private static final Map<Role, String> ROLE_ZH = Map.of(
            Role.SALES, "业务员",
            Role.REGIONAL_MANAGER, "区域市场经理",
            Role.MAINTENANCE, "维护部门",
            Role.OPERATIONS, "运营/技术",
            Role.ADMIN, "系统管理员");

    private SignInPage() {
    }

    /**
     * @param request the authorization request's parameters, carried through the form unchanged
     * @param users the staff offered, with their current status
     * @param problem a message shown above the list (an unknown or inactive user), or null
     */
    static String render(Map<String, String> request, List<StaffMember> users, String problem) {
        StringBuilder hidden = new StringBuilder();
        request.forEach((name, value) -> hidden.append("<input type=\"hidden\" name=\"").append(escape(name))
                .append("\" value=\"").append(escape(value)).append("\">"));
        StringBuilder rows = new StringBuilder();
        for (StaffMember u : users) {
            boolean active = u.status() == StaffStatus.ACTIVE;
            rows.append("<tr><td>").append(escape(u.displayName())).append("</td><td><code>").append(escape(u.userId()))
                    .append("</code></td><td>").append(escape(ROLE_ZH.getOrDefault(u.role(), u.role().name())))
                    .append("</td><td>").append(escape(u.departmentId())).append("</td><td>")
                    .append(active
                            ? "<button type=\"submit\" name=\"username\" value=\"" + escape(u.userId()) + "\" data-user=\""
                                    + escape(u.userId()) + "\">登录</button>"
                            : "<span class=\"off\">已停用</span>")
                    .append("</td></tr>");
        }
        return """
                <!doctype html>
                <html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
                <title>RackFlow 本地登录</title>
                <style>
                body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;background:#f2f4f7;margin:0}
                main{max-width:640px;margin:48px auto;background:#fff;border-radius:8px;padding:24px 32px;box-shadow:0 2px 12px #0001}
                h1{font-size:20px;margin:0 0 4px} p{color:#606266;font-size:14px}
                table{width:100%%;border-collapse:collapse;font-size:14px} td,th{padding:8px;border-bottom:1px solid #ebeef5;text-align:left}
                button{background:#409eff;color:#fff;border:0;border-radius:4px;padding:6px 14px;cursor:pointer}
                .off{color:#c0c4cc} .problem{color:#f56c6c} input[type=text]{padding:6px;width:200px}
                </style></head><body><main>
                <h1>RackFlow 本地身份提供方</h1>
                <p>开发环境登录：选择一位演示用户（生产环境使用 Cognito 或企业身份提供方）。</p>
                %s
                <form method="post" action="authorize">%s
                <table><thead><tr><th>姓名</th><th>用户名</th><th>角色</th><th>部门</th><th></th></tr></thead><tbody>%s</tbody></table>
                <p>其他用户：<input type="text" name="other" placeholder="用户名" aria-label="用户名">
                <button type="submit" name="username" value="">登录</button></p>
                </form></main></body></html>
                """.formatted(problem == null ? "" : "<p class=\"problem\" role=\"alert\">" + escape(problem) + "</p>",
                hidden, rows);
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }
}
