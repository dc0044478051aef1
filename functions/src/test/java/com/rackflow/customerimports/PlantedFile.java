package com.rackflow.customerimports;

import com.rackflow.customers.CreditCode;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A generated import file with problems planted at known rows. In every block of 50 rows: row 1 an invalid credit
 * code, row 2 a bad phone, row 3 the company of row 0 written differently (an in-file duplicate), row 4 empty,
 * row 5 a formula in 备注, row 6 no contact; rows 10 and 11 of the file repeat two existing customers (one in the
 * importer's scope by name, one out of it by credit code); row 7 has an apostrophe-escaped value as the exports
 * write it (valid). Everything else is a valid, unique customer.
 */
public final class PlantedFile {
    static final String HEADER_ZH = "公司名称,统一社会信用代码,联系人,电话,邮箱,区域,来源,备注";

    final List<String[]> rows = new ArrayList<>();
    public int ok;
    public int invalid;
    public int duplicate;
    int empty;
    /** Spreadsheet row numbers (header = 1) of the planted rows, by kind. */
    final List<Integer> badCredit = new ArrayList<>(), badPhone = new ArrayList<>(), inFile = new ArrayList<>(),
            formula = new ArrayList<>(), noContact = new ArrayList<>(), escaped = new ArrayList<>();
    /** The verdict each data row must get: OK, INVALID or DUPLICATE, by row number. */
    final java.util.Map<Integer, String> expected = new java.util.TreeMap<>();
    int existingInScopeRow;
    int existingOutOfScopeRow;

    /**
     * {@code tag} makes names, phones and credit codes unique to this file; {@code inScopeName} and
     * {@code outOfScopeCreditCode} belong to existing customers.
     */
    public PlantedFile(int count, int tag, String inScopeName, String outOfScopeCreditCode) {
        for (int i = 0; i < count; i++) {
            int number = i + 2;
            String name = "导入客户" + tag + "号" + i + "科技有限公司";
            String phone = String.format("136%03d%05d", tag % 1_000, i);
            String credit = "";
            String contact = "联系人" + i;
            String notes = "备注" + i;
            int k = i % 50;
            if (i == 10) {
                name = inScopeName;
                duplicate++;
                existingInScopeRow = number;
            } else if (i == 11) {
                credit = outOfScopeCreditCode;
                duplicate++;
                existingOutOfScopeRow = number;
            } else if (k == 1) {
                credit = "91310000MA1FL8XQ30";
                invalid++;
                badCredit.add(number);
            } else if (k == 2) {
                phone = "12345";
                invalid++;
                badPhone.add(number);
            } else if (k == 3) {
                name = "导入客户" + tag + "号" + (i - 3) + " 科技（集团）股份有限公司";
                duplicate++;
                inFile.add(number);
            } else if (k == 4) {
                rows.add(new String[]{"", "", "", "", "", "", "", ""});
                empty++;
                continue;
            } else if (k == 5) {
                notes = "=1+1";
                invalid++;
                formula.add(number);
            } else if (k == 6) {
                contact = "";
                phone = "";
                invalid++;
                noContact.add(number);
            } else if (k == 7) {
                notes = "'=SUM(A1:A3) 不是公式";
                escaped.add(number);
                ok++;
            } else {
                ok++;
            }
            if (i != 11 && (k == 0 || k > 7)) {
                String first17 = String.format("9133%04d%09d", tag % 10_000, i);
                credit = first17.substring(0, 17) + CreditCode.checkCharacter(first17.substring(0, 17));
            }
            expected.put(number, i == 10 || i == 11 || k == 3 ? "DUPLICATE" : k >= 1 && k <= 6 ? "INVALID" : "OK");
            rows.add(new String[]{name, credit, contact, phone, "", "east", i % 2 == 0 ? "客户介绍" : "WEBSITE", notes});
        }
    }

    public byte[] csv(Charset charset) {
        StringBuilder sb = new StringBuilder(charset.equals(StandardCharsets.UTF_8) ? "\uFEFF" : "");
        sb.append(HEADER_ZH).append("\r\n");
        for (String[] r : rows) {
            sb.append(String.join(",", r)).append("\r\n");
        }
        return sb.toString().getBytes(charset);
    }

    /** The same rows as a workbook: English headings, the formula as a real formula cell. */
    public byte[] xlsx() {
        try (XSSFWorkbook wb = new XSSFWorkbook()) {
            Sheet s = wb.createSheet("客户");
            Row h = s.createRow(0);
            String[] headings = {"companyName", "creditCode", "contact", "phone", "email", "region", "source", "notes"};
            for (int i = 0; i < headings.length; i++) {
                h.createCell(i).setCellValue(headings[i]);
            }
            for (int r = 0; r < rows.size(); r++) {
                Row row = s.createRow(r + 1);
                String[] values = rows.get(r);
                for (int c = 0; c < values.length; c++) {
                    if (values[c].isEmpty()) {
                        continue;
                    }
                    if (values[c].startsWith("=")) {
                        row.createCell(c).setCellFormula(values[c].substring(1));
                    } else {
                        row.createCell(c).setCellValue(values[c]);
                    }
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            wb.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
