package com.rackflow.core.spreadsheet;

import java.math.BigDecimal;
import java.util.List;

/**
 * CSV for Excel and WPS: UTF-8 with a byte-order mark (else Excel reads zh-CN headings as GBK), CRLF lines, RFC 4180
 * quoting, and text that a spreadsheet would run as a formula prefixed with an apostrophe (formula injection).
 */
public final class Csv {
    public static final String BOM = "\uFEFF";
    public static final String CONTENT_TYPE = "text/csv; charset=utf-8";
    /** First characters that make a spreadsheet read a cell as a formula. */
    public static final String FORMULA_STARTS = "=+-@\t\r";

    private Csv() {
    }

    /** A whole file: the BOM, the headings, then the rows. */
    public static String of(List<String> headings, Iterable<? extends List<?>> rows) {
        StringBuilder out = new StringBuilder(BOM);
        line(out, headings);
        rows.forEach(r -> line(out, r));
        return out.toString();
    }

    public static void line(StringBuilder out, List<?> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(cell(cells.get(i)));
        }
        out.append("\r\n");
    }

    public static String cell(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Number n) {
            return n instanceof BigDecimal d ? d.toPlainString() : n.toString();
        }
        String s = v.toString();
        if (!s.isEmpty() && FORMULA_STARTS.indexOf(s.charAt(0)) >= 0) {
            s = "'" + s;
        }
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            s = "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }
}
