package com.rackflow.reports;

import java.util.Map;

/** zh-CN names of the totals the reports give (CSV and snapshot readers); the field name is the fallback. */
final class TotalsLabels {
    private static final Map<String, String> LABELS = Map.ofEntries(
            Map.entry("activities", "活动总数"),
            Map.entry("salespeople", "有活动的业务员数"),
            Map.entry("newCustomers", "新增客户"),
            Map.entry("transitions", "状态变更次数"),
            Map.entry("contractsSigned", "签约合同数"),
            Map.entry("monthlyValue", "月费合计（元）"),
            Map.entry("contractsExpiring", "即将到期合同数"),
            Map.entry("within30Days", "30天内到期"),
            Map.entry("within60Days", "31-60天内到期"),
            Map.entry("within90Days", "61-90天内到期"),
            Map.entry("flowsStarted", "发起流程数"),
            Map.entry("flowsCompleted", "完成流程数"),
            Map.entry("flowsRejected", "驳回流程数"),
            Map.entry("flowsFailed", "失败流程数"),
            Map.entry("overdueStages", "超期环节数"),
            Map.entry("opened", "新建服务记录"),
            Map.entry("resolved", "已解决服务记录"),
            Map.entry("averageHoursToResolve", "平均解决时长（小时）"));

    private TotalsLabels() {
    }

    static String labelZh(String field) {
        return LABELS.getOrDefault(field, field);
    }
}
