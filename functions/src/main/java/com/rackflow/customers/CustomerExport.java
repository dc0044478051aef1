package com.rackflow.customers;

import com.rackflow.access.Caller;
import com.rackflow.core.http.ApiException;
import com.rackflow.directory.StaffDirectory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The customers a caller may see, as the rows of a spreadsheet (客户导出): the list's scope and filters, read page by
 * page through {@link CustomerService#list}, with zh-CN headings. At most {@link #MAX_ROWS} rows answer at once (a
 * Lambda answer is at most 6 MB); a larger export is refused naming the filter to narrow.
 */
public final class CustomerExport {
    public static final int MAX_ROWS = 10_000;
    public static final List<String> HEADINGS = List.of("客户编号", "公司名称", "统一社会信用代码", "联系人", "电话", "邮箱",
            "区域", "来源", "备注", "状态", "负责人", "负责人账号", "创建时间");

    private final CustomerService customers;
    private final StaffDirectory directory;

    public CustomerExport(CustomerService customers, StaffDirectory directory) {
        this.customers = customers;
        this.directory = directory;
    }

    public List<List<Object>> rows(Caller caller, CustomerStore.ListFilter filter) {
        return rows(caller, filter, MAX_ROWS);
    }

    /** The rows, at most {@code maxRows} (a larger export is a 400 naming {@code limit}). */
    public List<List<Object>> rows(Caller caller, CustomerStore.ListFilter filter, int maxRows) {
        List<List<Object>> rows = new ArrayList<>();
        Map<String, String> ownerNames = new HashMap<>();
        String cursor = null;
        do {
            var page = customers.list(caller, filter, cursor, 100);
            for (Customer c : page.items()) {
                if (rows.size() == maxRows) {
                    throw ApiException.invalid("limit", "exportSize", "more than " + maxRows + " customers match; "
                            + (maxRows == MAX_ROWS ? "export them with POST /customer-exports, or " : "") + "narrow the export with status, owner or q");
                }
                rows.add(row(c, ownerNames.computeIfAbsent(c.ownerId(), directory::displayName)));
            }
            cursor = page.nextCursor();
        } while (cursor != null);
        return rows;
    }

    private static List<Object> row(Customer c, String ownerName) {
        List<Object> r = new ArrayList<>();
        r.add(c.code());
        r.add(c.companyName());
        r.add(c.creditCode());
        r.add(joined(c.contacts(), Contact::name));
        r.add(joined(c.contacts(), Contact::phone));
        r.add(joined(c.contacts(), Contact::email));
        r.add(c.region());
        r.add(c.source() == null ? null : c.source().labelZh());
        r.add(c.notes());
        r.add(c.status().labelZh());
        r.add(ownerName);
        r.add(c.ownerId());
        r.add(c.createdAt());
        return r;
    }

    /** Several contacts in one cell, in order, separated by a full-width semicolon. */
    private static String joined(List<Contact> contacts, java.util.function.Function<Contact, String> field) {
        String s = contacts.stream().map(field).map(v -> v == null ? "" : v).collect(Collectors.joining("；"));
        return s.replace("；", "").isEmpty() ? null : s;
    }
}
