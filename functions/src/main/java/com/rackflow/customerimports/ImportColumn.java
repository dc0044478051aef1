package com.rackflow.customerimports;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The columns an import file may have, by their zh-CN or English heading (the customer API's field names). */
public enum ImportColumn {
    COMPANY_NAME("公司名称", "companyName"),
    CREDIT_CODE("统一社会信用代码", "creditCode"),
    CONTACT("联系人", "contact"),
    PHONE("电话", "phone"),
    EMAIL("邮箱", "email"),
    REGION("区域", "region"),
    SOURCE("来源", "source"),
    NOTES("备注", "notes"),
    /** Managers and admins: the owner of this row's customer (a user id); empty = the import's default owner. */
    OWNER("负责人账号", "ownerId");

    private final String headingZh;
    private final String field;

    ImportColumn(String headingZh, String field) {
        this.headingZh = headingZh;
        this.field = field;
    }

    public String headingZh() {
        return headingZh;
    }

    public String field() {
        return field;
    }

    /** The column a heading names (zh-CN as written, English in any case; surrounding spaces ignored). */
    public static Optional<ImportColumn> ofHeading(String heading) {
        String h = heading.strip();
        return Arrays.stream(values())
                .filter(c -> c.headingZh.equals(h) || c.field.toLowerCase(Locale.ROOT).equals(h.toLowerCase(Locale.ROOT)))
                .findFirst();
    }

    public static Optional<ImportColumn> ofField(String field) {
        return Arrays.stream(values()).filter(c -> c.field.equals(field)).findFirst();
    }

    public static String allHeadings() {
        return String.join(", ", Arrays.stream(values()).map(c -> c.headingZh + "/" + c.field).toList());
    }
}
