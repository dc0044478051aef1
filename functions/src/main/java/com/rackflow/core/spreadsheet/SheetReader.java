package com.rackflow.core.spreadsheet;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the first sheet of an .xlsx workbook or a CSV file (UTF-8, with or without a byte-order mark, or GBK as
 * Excel and WPS save it in zh-CN: bytes that are not UTF-8 are read as GB18030, GBK's superset) into rows of text.
 * Formulas are never evaluated: a formula cell is reported as one.
 */
public final class SheetReader {
    private static final Charset GB18030 = Charset.forName("GB18030");
    private static final CsvMapper CSV = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY);

    /** One cell as written: its text (trimmed of nothing), and whether the spreadsheet holds a formula there. */
    public record Cell(String text, boolean formula) {
    }

    /** A row with its number as the spreadsheet shows it (the header row is 1). */
    public record Row(int number, List<Cell> cells) {
        public boolean blank() {
            return cells.stream().allMatch(c -> c.text().isBlank());
        }
    }

    /** What was read: the format and encoding found, the rows (header first). */
    public record Sheet(String format, String encoding, List<Row> rows) {
    }

    public static final class Unreadable extends RuntimeException {
        public Unreadable(String message) {
            super(message);
        }
    }

    private SheetReader() {
    }

    public static Sheet read(byte[] file) {
        if (file.length >= 4 && file[0] == 'P' && file[1] == 'K' && file[2] == 3 && file[3] == 4) {
            return xlsx(file);
        }
        return csv(file);
    }

    private static Sheet xlsx(byte[] file) {
        try (Workbook wb = new XSSFWorkbook(new ByteArrayInputStream(file))) {
            if (wb.getNumberOfSheets() == 0) {
                return new Sheet("xlsx", null, List.of());
            }
            org.apache.poi.ss.usermodel.Sheet sheet = wb.getSheetAt(0);
            DataFormatter format = new DataFormatter();
            List<Row> rows = new ArrayList<>();
            for (org.apache.poi.ss.usermodel.Row r : sheet) {
                List<Cell> cells = new ArrayList<>();
                for (int i = 0; i < Math.max(0, r.getLastCellNum()); i++) {
                    org.apache.poi.ss.usermodel.Cell c = r.getCell(i);
                    if (c == null) {
                        cells.add(new Cell("", false));
                    } else if (c.getCellType() == CellType.FORMULA) {
                        cells.add(new Cell("=" + c.getCellFormula(), true));
                    } else {
                        cells.add(new Cell(format.formatCellValue(c), false));
                    }
                }
                rows.add(new Row(r.getRowNum() + 1, cells));
            }
            return new Sheet("xlsx", null, rows);
        } catch (IOException | RuntimeException e) {
            throw new Unreadable("not a readable .xlsx workbook: " + e.getMessage());
        }
    }

    private static Sheet csv(byte[] file) {
        String encoding = "UTF-8";
        String text;
        int skip = file.length >= 3 && (file[0] & 0xff) == 0xEF && (file[1] & 0xff) == 0xBB && (file[2] & 0xff) == 0xBF ? 3 : 0;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(file, skip, file.length - skip)).toString();
        } catch (CharacterCodingException e) {
            encoding = "GBK";
            text = new String(file, GB18030);
        }
        List<Row> rows = new ArrayList<>();
        try (MappingIterator<String[]> it = CSV.readerFor(String[].class).readValues(text)) {
            int n = 0;
            while (it.hasNext()) {
                String[] values = it.next();
                n++;
                List<Cell> cells = new ArrayList<>();
                for (String v : values) {
                    cells.add(new Cell(v == null ? "" : v, v != null && v.startsWith("=")));
                }
                rows.add(new Row(n, cells));
            }
        } catch (IOException | RuntimeException e) {
            throw new Unreadable("not a readable CSV file: " + e.getMessage());
        }
        return new Sheet("csv", encoding, rows);
    }
}
