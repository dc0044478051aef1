package com.rackflow.customerimports;

import com.rackflow.core.http.ApiException;
import com.rackflow.core.spreadsheet.Csv;
import com.rackflow.core.spreadsheet.SheetReader;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An import file read and its header row understood: the data rows by column, blank rows counted and left out.
 * A heading that names no column is refused (400 naming it), never ignored.
 */
public record ImportFile(String format, String encoding, List<Row> rows, int emptyRows) {
    public static final int MAX_ROWS = 20_000;

    /**
     * One data row: its number in the spreadsheet, the text of each column present (apostrophe-prefixed text as the
     * exports write it is read back as the text), the columns that hold a formula.
     */
    public record Row(int number, Map<ImportColumn, String> values, Set<ImportColumn> formulas) {
    }

    public static ImportFile read(byte[] content) {
        SheetReader.Sheet sheet;
        try {
            sheet = SheetReader.read(content);
        } catch (SheetReader.Unreadable e) {
            throw ApiException.invalid("file", "format", "must be an .xlsx workbook or a CSV file (UTF-8 or GBK): " + e.getMessage());
        }
        List<SheetReader.Row> all = sheet.rows();
        int first = 0;
        while (first < all.size() && all.get(first).blank()) {
            first++;
        }
        if (first == all.size()) {
            throw ApiException.invalid("file", "required", "the file is empty; the first row names the columns");
        }
        Map<Integer, ImportColumn> columns = header(all.get(first));
        List<Row> rows = new ArrayList<>();
        int empty = 0;
        for (SheetReader.Row r : all.subList(first + 1, all.size())) {
            if (r.blank()) {
                empty++;
                continue;
            }
            Map<ImportColumn, String> values = new EnumMap<>(ImportColumn.class);
            Set<ImportColumn> formulas = EnumSet.noneOf(ImportColumn.class);
            for (int i = 0; i < r.cells().size(); i++) {
                SheetReader.Cell cell = r.cells().get(i);
                ImportColumn c = columns.get(i);
                if (c == null) {
                    if (!cell.text().isBlank()) {
                        throw ApiException.invalid("file", "unknownColumn", "row " + r.number() + " has a value in column "
                                + columnLetter(i) + ", which has no heading");
                    }
                    continue;
                }
                String text = cell.text();
                if (cell.formula()) {
                    formulas.add(c);
                } else if (text.length() > 1 && text.charAt(0) == '\'' && Csv.FORMULA_STARTS.indexOf(text.charAt(1)) >= 0) {
                    text = text.substring(1);
                }
                if (!text.isBlank()) {
                    values.put(c, text.strip());
                }
            }
            rows.add(new Row(r.number(), values, formulas));
        }
        if (rows.size() > MAX_ROWS) {
            throw ApiException.invalid("file", "maxRows", "at most " + MAX_ROWS + " rows in one import; this file has " + rows.size());
        }
        return new ImportFile(sheet.format(), sheet.encoding(), rows, empty);
    }

    private static Map<Integer, ImportColumn> header(SheetReader.Row header) {
        Map<Integer, ImportColumn> columns = new HashMap<>();
        for (int i = 0; i < header.cells().size(); i++) {
            String heading = header.cells().get(i).text().replace("\uFEFF", "").strip();
            if (heading.isEmpty()) {
                continue;
            }
            int index = i;
            ImportColumn c = ImportColumn.ofHeading(heading).orElseThrow(() -> ApiException.invalid("file", "unknownColumn",
                    "column " + columnLetter(index) + " \"" + heading + "\" is not an import column; the columns are "
                            + ImportColumn.allHeadings()));
            if (columns.containsValue(c)) {
                throw ApiException.invalid("file", "duplicateColumn", "column " + columnLetter(index) + " \"" + heading
                        + "\" repeats " + c.headingZh() + "/" + c.field());
            }
            columns.put(i, c);
        }
        if (!columns.containsValue(ImportColumn.COMPANY_NAME)) {
            throw ApiException.invalid("file", "requiredColumn", "the header row must name the column 公司名称/companyName");
        }
        return columns;
    }

    /** A, B, ... Z, AA as spreadsheets name columns. */
    static String columnLetter(int index) {
        StringBuilder sb = new StringBuilder();
        for (int i = index + 1; i > 0; i = (i - 1) / 26) {
            sb.insert(0, (char) ('A' + (i - 1) % 26));
        }
        return sb.toString();
    }
}
