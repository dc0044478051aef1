package com.rackflow.reports;

import java.math.BigDecimal;
import java.util.Map;

/**
 * A report as CSV for Excel and WPS: UTF-8 with a byte-order mark (else Excel reads the zh-CN headings as GBK),
 * CRLF lines, RFC 4180 quoting, and text that a spreadsheet would run as a formula prefixed with an apostrophe.
 */
public final class Csv {
    public static final String BOM = "\uFEFF";
    public static final String CONTENT_TYPE = "text/csv; charset=utf-8";

    private Csv() {
    }

    public static String of(Report r) {
        StringBuilder out = new StringBuilder(BOM);
        line(out, r.columns().stream().map(Report.Column::headingZh).toList());
        for (Map<String, Object> row : r.rows()) {
            line(out, r.columns().stream().map(c -> row.get(c.field())).toList());
        }
        if (!r.totals().isEmpty()) {
            out.append("\r\n");
            line(out, java.util.List.of("合计项", "数值"));
            r.totals().forEach((k, v) -> line(out, java.util.List.of(TotalsLabels.labelZh(k), v)));
        }
        return out.toString();
    }

    private static void line(StringBuilder out, java.util.List<?> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(cell(cells.get(i)));
        }
        out.append("\r\n");
    }

    static String cell(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Number n) {
            return n instanceof BigDecimal d ? d.toPlainString() : n.toString();
        }
        String s = v.toString();
        if (!s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0) {
            s = "'" + s;
        }
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            s = "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }
}
