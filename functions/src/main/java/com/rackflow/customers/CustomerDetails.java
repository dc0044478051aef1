package com.rackflow.customers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.core.http.Input;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** The fields of a customer a person edits, read and checked from a request body. */
public record CustomerDetails(String companyName, String creditCode, List<Contact> contacts, String region,
                              CustomerSource source, String notes) {

    static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]{2,}");
    private static final Set<String> CONTACT_FIELDS = Set.of("name", "title", "phone", "email", "serviceContact");
    static final String[] FIELDS = {"companyName", "creditCode", "contacts", "region", "source", "notes"};

    /** Reads the editable fields present in the body; {@code base} supplies the ones a change leaves out. */
    static CustomerDetails read(Input in, CustomerDetails base) {
        boolean create = base == null;
        String companyName = create || in.has("companyName") ? in.requiredString("companyName", 200) : base.companyName();
        String creditCode = base == null ? null : base.creditCode();
        if (in.has("creditCode")) {
            creditCode = in.optionalString("creditCode", 18).map(DuplicateKeys::creditCode).orElse(null);
            if (creditCode != null && !CreditCode.isValid(creditCode)) {
                in.add("creditCode", "creditCode",
                        "must be an 18-character unified social credit code (GB 32100-2015) with a valid check character");
            }
        }
        List<Contact> contacts = base == null ? List.of() : base.contacts();
        if (create || in.has("contacts")) {
            contacts = in.objects("contacts", 1, 10, CONTACT_FIELDS, CustomerDetails::contact).orElse(List.of());
        }
        String region = base == null ? null : base.region();
        if (in.has("region")) {
            region = in.optionalString("region", 64).orElse(null);
        }
        CustomerSource source = base == null ? CustomerSource.OTHER : base.source();
        if (in.has("source")) {
            source = in.enumValue("source", CustomerSource.class, false).orElse(source);
        }
        String notes = base == null ? null : base.notes();
        if (in.has("notes")) {
            notes = in.optionalString("notes", 2000).orElse(null);
        }
        return new CustomerDetails(companyName, creditCode, contacts, region, source, notes);
    }

    /**
     * The details of a new customer from a body in POST /customers' shape built elsewhere (a spreadsheet row of an
     * import): the same reading and the same rules, so a row passes exactly when the request would; the 400 lists
     * every violation otherwise.
     */
    public static CustomerDetails validated(ObjectNode body) {
        Input in = input(body);
        CustomerDetails d = read(in, null);
        in.validate();
        return d;
    }

    /** The fields a change sends; the others keep their stored values. */
    record Patch(Set<String> present, CustomerDetails values) {
        CustomerDetails applyTo(CustomerDetails base) {
            return new CustomerDetails(
                    present.contains("companyName") ? values.companyName() : base.companyName(),
                    present.contains("creditCode") ? values.creditCode() : base.creditCode(),
                    present.contains("contacts") ? values.contacts() : base.contacts(),
                    present.contains("region") ? values.region() : base.region(),
                    present.contains("source") ? values.source() : base.source(),
                    present.contains("notes") ? values.notes() : base.notes());
        }
    }

    static Patch readPatch(Input in) {
        Set<String> present = new java.util.HashSet<>();
        for (String f : FIELDS) {
            if (in.has(f)) {
                present.add(f);
            }
        }
        CustomerDetails blank = new CustomerDetails(null, null, List.of(), null, null, null);
        return new Patch(present, read(in, blank));
    }

    private static Contact contact(Input c) {
        String name = c.requiredString("name", 50);
        String title = c.optionalString("title", 50).orElse(null);
        Optional<String> phone = c.optionalString("phone", 40).flatMap(raw -> {
            Optional<PhoneNumber> p = PhoneNumber.parse(raw);
            if (p.isEmpty()) {
                c.add("phone", "phone", PhoneNumber.RULE);
            }
            return p.map(PhoneNumber::canonical);
        });
        Optional<String> email = c.formatted("email", EMAIL, "email", "must be an e-mail address", false);
        if (phone.isEmpty() && email.isEmpty() && !c.has("phone") && !c.has("email")) {
            c.add("phone", "required", "a contact needs a phone number or an e-mail address");
        }
        boolean service = c.bool("serviceContact").orElse(false);
        return new Contact(name, title, phone.orElse(null), email.orElse(null), service);
    }

    static Input input(ObjectNode body, String... extraFields) {
        String[] all = new String[FIELDS.length + extraFields.length];
        System.arraycopy(FIELDS, 0, all, 0, FIELDS.length);
        System.arraycopy(extraFields, 0, all, FIELDS.length, extraFields.length);
        return Input.of(body, all);
    }
}
