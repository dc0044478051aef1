package com.rackflow.core.spreadsheet;

import com.rackflow.core.http.ApiException;
import com.rackflow.core.http.ApiResponse;

import java.util.List;
import java.util.Optional;

/** A download of rows as a spreadsheet, in the format a request's {@code format} names: xlsx (the default) or csv. */
public enum SpreadsheetFile {
    XLSX, CSV;

    public static SpreadsheetFile of(Optional<String> format) {
        return switch (format.orElse("xlsx")) {
            case "xlsx" -> XLSX;
            case "csv" -> CSV;
            default -> throw ApiException.invalid("format", "enum", "must be one of [csv, xlsx]");
        };
    }

    /** The file as an attachment named {@code baseName}.csv or .xlsx; {@code sheetName} names the workbook's sheet. */
    public ApiResponse response(String baseName, String sheetName, List<String> headings, List<? extends List<?>> rows) {
        return this == CSV ? ApiResponse.file(Csv.CONTENT_TYPE, baseName + ".csv", Csv.of(headings, rows))
                : ApiResponse.file(Xlsx.CONTENT_TYPE, baseName + ".xlsx", Xlsx.of(sheetName, headings, rows));
    }
}
