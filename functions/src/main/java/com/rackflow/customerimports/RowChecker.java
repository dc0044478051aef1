package com.rackflow.customerimports;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.access.Caller;
import com.rackflow.core.http.ApiException;
import com.rackflow.core.json.Json;
import com.rackflow.customers.CustomerDetails;
import com.rackflow.customers.CustomerService;
import com.rackflow.customers.CustomerSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks rows with the customer module's own rules: each row becomes a POST /customers body and is read by
 * {@link CustomerDetails#validated} (the same rules, not a copy); 查重 reads the guards the create claims
 * ({@link CustomerService#existingDuplicates}) and compares the same duplicate keys between the rows of the file;
 * the owner of a row must be one the caller may give a customer to ({@link CustomerService#requireAssignableOwner}).
 */
final class RowChecker {
    private final CustomerService customers;

    RowChecker(CustomerService customers) {
        this.customers = customers;
    }

    /**
     * The verdict on each row, in order. {@code seen} carries the duplicate keys of the OK rows checked so far (and
     * their row numbers) across calls, so a row repeating an earlier row of the file is a DUPLICATE naming it.
     */
    List<RowCheck> check(Caller caller, String defaultOwnerId, List<ImportFile.Row> rows, Map<String, Integer> seen) {
        Map<String, Optional<RowCheck.RowViolation>> owners = new HashMap<>();
        List<RowCheck> out = new ArrayList<>();
        List<Integer> valid = new ArrayList<>();
        List<CustomerDetails> details = new ArrayList<>();
        for (ImportFile.Row row : rows) {
            List<RowCheck.RowViolation> violations = new ArrayList<>();
            row.formulas().forEach(c -> violations.add(new RowCheck.RowViolation(c.field(), c.headingZh(), "formula",
                    "holds a formula; enter the value itself")));
            CustomerDetails d = null;
            try {
                d = CustomerDetails.validated(body(row));
            } catch (ApiException e) {
                e.violations().forEach(v -> {
                    ImportColumn c = column(v.field());
                    violations.add(new RowCheck.RowViolation(c == null ? v.field() : c.field(), c == null ? null : c.headingZh(),
                            v.rule(), v.message()));
                });
            }
            String owner = row.values().getOrDefault(ImportColumn.OWNER, defaultOwnerId);
            if (owner != null) {
                owners.computeIfAbsent(owner, o -> ownerProblem(caller, o)).ifPresent(violations::add);
            }
            if (!violations.isEmpty()) {
                out.add(RowCheck.invalid(row.number(), violations));
            } else {
                out.add(RowCheck.ok(row.number(), d, owner));
                valid.add(out.size() - 1);
                details.add(d);
            }
        }
        List<Optional<Map<String, Object>>> existing = customers.existingDuplicates(details);
        for (int i = 0; i < valid.size(); i++) {
            int at = valid.get(i);
            RowCheck ok = out.get(at);
            if (existing.get(i).isPresent()) {
                out.set(at, RowCheck.duplicate(ok.row(), existing.get(i).get()));
                continue;
            }
            List<String> keys = CustomerService.duplicateKeys(ok.details());
            Optional<String> repeated = keys.stream().filter(seen::containsKey).findFirst();
            if (repeated.isPresent()) {
                Map<String, Object> dup = new LinkedHashMap<>();
                dup.put("field", CustomerService.duplicateField(repeated.get()));
                dup.put("existingRow", seen.get(repeated.get()));
                out.set(at, RowCheck.duplicate(ok.row(), dup));
            } else {
                keys.forEach(k -> seen.put(k, ok.row()));
            }
        }
        return out;
    }

    private Optional<RowCheck.RowViolation> ownerProblem(Caller caller, String ownerId) {
        try {
            customers.requireAssignableOwner(caller, ownerId, "ownerId");
            return Optional.empty();
        } catch (ApiException e) {
            String rule = e.status() == 403 ? "forbidden" : "assignable";
            String message = e.status() == 403 ? "you may import customers only into your own name"
                    : e.violations().isEmpty() ? e.getMessage() : e.violations().get(0).message();
            return Optional.of(new RowCheck.RowViolation(ImportColumn.OWNER.field(), ImportColumn.OWNER.headingZh(), rule, message));
        }
    }

    /** The row as the body of POST /customers: one contact from the contact columns; a source by name or zh-CN label. */
    static ObjectNode body(ImportFile.Row row) {
        Map<ImportColumn, String> v = row.values();
        ObjectNode b = Json.object();
        put(b, "companyName", v.get(ImportColumn.COMPANY_NAME));
        put(b, "creditCode", v.get(ImportColumn.CREDIT_CODE));
        put(b, "region", v.get(ImportColumn.REGION));
        put(b, "notes", v.get(ImportColumn.NOTES));
        String source = v.get(ImportColumn.SOURCE);
        if (source != null) {
            for (CustomerSource s : CustomerSource.values()) {
                if (s.labelZh().equals(source)) {
                    source = s.name();
                }
            }
            b.put("source", source);
        }
        if (v.containsKey(ImportColumn.CONTACT) || v.containsKey(ImportColumn.PHONE) || v.containsKey(ImportColumn.EMAIL)) {
            ArrayNode contacts = b.putArray("contacts");
            ObjectNode c = contacts.addObject();
            put(c, "name", v.get(ImportColumn.CONTACT));
            put(c, "phone", v.get(ImportColumn.PHONE));
            put(c, "email", v.get(ImportColumn.EMAIL));
        }
        return b;
    }

    private static void put(ObjectNode o, String field, String value) {
        if (value != null) {
            o.put(field, value);
        }
    }

    /** The file's column a violation of the customer API names ({@code contacts[0].phone} → phone). */
    static ImportColumn column(String field) {
        String f = field.replaceFirst("^contacts\\[\\d+]\\.", "");
        if (f.equals("name") || f.equals("contacts")) {
            return ImportColumn.CONTACT;
        }
        return ImportColumn.ofField(f).orElse(null);
    }
}
