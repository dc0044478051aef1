package com.rackflow.reports;

import java.util.List;
import java.util.Map;

/** A report as CSV (the one CSV writer: {@link com.rackflow.core.spreadsheet.Csv}), with its totals below the rows. */
public final class Csv {
    public static final String CONTENT_TYPE = com.rackflow.core.spreadsheet.Csv.CONTENT_TYPE;

    private Csv() {
    }

    public static String of(Report r) {
        StringBuilder out = new StringBuilder(com.rackflow.core.spreadsheet.Csv.BOM);
        com.rackflow.core.spreadsheet.Csv.line(out, r.columns().stream().map(Report.Column::headingZh).toList());
        for (Map<String, Object> row : r.rows()) {
            com.rackflow.core.spreadsheet.Csv.line(out, r.columns().stream().map(c -> row.get(c.field())).toList());
        }
        if (!r.totals().isEmpty()) {
            out.append("\r\n");
            com.rackflow.core.spreadsheet.Csv.line(out, List.of("合计项", "数值"));
            r.totals().forEach((k, v) -> com.rackflow.core.spreadsheet.Csv.line(out, List.of(TotalsLabels.labelZh(k), v)));
        }
        return out.toString();
    }
}
