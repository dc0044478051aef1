package com.rackflow.reports;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.core.json.Json;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One computed report: its columns (field + zh-CN heading), rows in column order, and totals. {@code scope} is
 * {@code ALL} or the department counted. The same object answers as JSON, as CSV, and is stored as a snapshot.
 */
public record Report(ReportKind kind, String from, String to, String scope, List<Column> columns,
                     List<Map<String, Object>> rows, Map<String, Object> totals) {

    /** A column: the row field and its heading for people. */
    public record Column(String field, String headingZh) {
    }

    public static Map<String, Object> row() {
        return new LinkedHashMap<>();
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("report", kind.path());
        o.put("reportLabel", kind.labelZh());
        o.put("from", from);
        o.put("to", to);
        o.put("scope", scope);
        ArrayNode cols = o.putArray("columns");
        columns.forEach(c -> cols.addObject().put("field", c.field()).put("heading", c.headingZh()));
        o.set("rows", Json.tree(rows));
        o.set("totals", Json.tree(totals));
        return o;
    }

    /** The CSV download's file name, e.g. {@code call-volume_2026-11-01_2026-11-30.csv}. */
    public String fileName() {
        return kind.path() + "_" + from + "_" + to + ".csv";
    }
}
