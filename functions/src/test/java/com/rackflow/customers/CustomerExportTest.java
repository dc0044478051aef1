package com.rackflow.customers;

import com.rackflow.access.Caller;
import com.rackflow.core.http.ApiResponse;
import com.rackflow.core.persistence.Table;
import com.rackflow.core.spreadsheet.Csv;
import com.rackflow.core.spreadsheet.SheetReader;
import com.rackflow.core.spreadsheet.Xlsx;
import com.rackflow.testing.Events;
import com.rackflow.testing.LocalTable;
import com.rackflow.testing.Staff;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static com.rackflow.testing.Staff.*;
import static org.assertj.core.api.Assertions.assertThat;

/** GET /customers/export: the caller's scope as the list has it, CSV (BOM, formula-safe) and xlsx. */
class CustomerExportTest {
    static Table table;
    static CustomersHandler handler;
    static String mine, colleagues, south;

    @BeforeAll
    static void setUp() {
        table = LocalTable.create();
        Staff.seed(table);
        handler = new CustomersHandler(table);
        CustomerService customers = new CustomerService(table);
        mine = customers.create(EAST_SALES_1, details("=HYPERLINK(\"http://evil\",\"点我\")科技有限公司", "13911110001",
                "@SUM(1+1)*cmd|' /C calc'!A0"), Optional.empty()).code();
        colleagues = customers.create(EAST_SALES_2, details("东区同事客户有限公司", "13911110002", "普通备注"), Optional.empty()).code();
        south = customers.create(SOUTH_SALES_1, details("南区客户有限公司", "13911110003", "南区, \"引号\""), Optional.empty()).code();
    }

    static CustomerDetails details(String name, String phone, String notes) {
        return new CustomerDetails(name, null, List.of(new Contact("张三", null, phone, null, true)), "east",
                CustomerSource.REFERRAL, notes);
    }

    static ApiResponse export(Caller c, String format) {
        return handler.handle(Events.load("customers/export-customers.json").as(c).clearQuery().query("format", format).json());
    }

    static List<SheetReader.Row> rows(ApiResponse r) {
        byte[] bytes = r.base64() ? Base64.getDecoder().decode(r.body()) : r.body().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return SheetReader.read(bytes).rows();
    }

    static List<String> codes(ApiResponse r) {
        return rows(r).stream().skip(1).map(row -> row.cells().get(0).text()).toList();
    }

    @Test
    void aSalespersonExportsOnlyTheirOwnCustomers() {
        assertThat(codes(export(EAST_SALES_1, "csv"))).containsExactly(mine);
        assertThat(codes(export(EAST_SALES_1, "xlsx"))).containsExactly(mine);
    }

    @Test
    void aManagerExportsTheDepartmentAndAnAdminEverything() {
        assertThat(codes(export(EAST_MANAGER, "csv"))).containsExactlyInAnyOrder(mine, colleagues);
        assertThat(codes(export(SOUTH_MANAGER, "xlsx"))).containsExactly(south);
        assertThat(codes(export(ADMIN, "csv"))).contains(mine, colleagues, south);
    }

    @Test
    void maintenanceMayNotExportCustomers() {
        assertThat(export(MAINTENANCE, "csv").status()).isEqualTo(403);
    }

    @Test
    void csvIsUtf8WithBomZhHeadingsAndNoCellRunsAsAFormula() {
        ApiResponse r = export(EAST_MANAGER, "csv");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers().get("Content-Type")).isEqualTo(Csv.CONTENT_TYPE);
        assertThat(r.headers().get("Content-Disposition")).startsWith("attachment;").contains(".csv");
        assertThat(r.body()).startsWith(Csv.BOM + "客户编号,公司名称,统一社会信用代码,联系人,电话,邮箱,区域,来源,备注,状态,负责人,负责人账号,创建时间\r\n");
        for (SheetReader.Row row : rows(r)) {
            for (SheetReader.Cell cell : row.cells()) {
                assertThat(cell.text()).as("row %d", row.number()).doesNotStartWith("=").doesNotStartWith("@")
                        .doesNotStartWith("+").doesNotStartWith("-");
            }
        }
        assertThat(r.body()).contains("\"'=HYPERLINK(\"\"http://evil\"\",\"\"点我\"\")科技有限公司\"", "'@SUM(1+1)");
    }

    @Test
    void xlsxHoldsTextCellsNeverFormulas() {
        ApiResponse r = export(EAST_SALES_1, "xlsx");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.base64()).isTrue();
        assertThat(r.headers().get("Content-Type")).isEqualTo(Xlsx.CONTENT_TYPE);
        List<SheetReader.Row> rows = rows(r);
        assertThat(rows.get(0).cells().get(1).text()).isEqualTo("公司名称");
        SheetReader.Cell name = rows.get(1).cells().get(1);
        assertThat(name.formula()).isFalse();
        assertThat(name.text()).isEqualTo("=HYPERLINK(\"http://evil\",\"点我\")科技有限公司");
        assertThat(rows.get(1).cells().get(10).text()).isEqualTo("Name of east.sales1");
    }

    @Test
    void anUnknownFormatNamesTheParameter() {
        ApiResponse r = export(EAST_SALES_1, "pdf");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("\"field\":\"format\"");
    }
}
