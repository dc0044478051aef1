package com.rackflow.customerimports;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The result file of an import (导入结果): the rows as read from the file, then each row's result in zh-CN. */
public record ResultFile(String importId, List<String> headings, List<List<Object>> rows) {

    static ResultFile of(String importId, List<ImportFile.Row> input, Map<Integer, RowResult> results) {
        List<String> headings = new ArrayList<>();
        headings.add("行号");
        Arrays.stream(ImportColumn.values()).forEach(c -> headings.add(c.headingZh()));
        headings.addAll(List.of("导入结果", "客户编号", "说明"));
        List<List<Object>> rows = new ArrayList<>();
        for (ImportFile.Row row : input) {
            List<Object> r = new ArrayList<>();
            r.add(row.number());
            Arrays.stream(ImportColumn.values()).forEach(c -> r.add(row.values().get(c)));
            RowResult result = results.get(row.number());
            r.add(result == null ? "未处理" : result.result().labelZh());
            r.add(result == null ? null : result.code());
            r.add(result == null ? null : explanation(result));
            rows.add(r);
        }
        return new ResultFile(importId, headings, rows);
    }

    private static String explanation(RowResult r) {
        return switch (r.result()) {
            case CREATED -> null;
            case REFUSED -> r.violations().stream()
                    .map(v -> (v.columnZh() == null ? v.column() : v.columnZh()) + "：" + v.message())
                    .collect(Collectors.joining("；"));
            case DUPLICATE -> {
                Map<String, Object> d = r.duplicate();
                String field = switch (String.valueOf(d.get("field"))) {
                    case "companyName" -> "公司名称";
                    case "creditCode" -> "统一社会信用代码";
                    default -> "电话";
                };
                yield d.containsKey("existingRow") ? "与第 " + d.get("existingRow") + " 行重复（" + field + "）"
                        : "与已有客户 " + d.get("existingCode") + "（负责人 " + d.get("existingOwnerName") + "）重复（" + field + "）";
            }
        };
    }
}
