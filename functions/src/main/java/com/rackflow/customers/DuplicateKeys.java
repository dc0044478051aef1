package com.rackflow.customers;

import java.text.Normalizer;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Duplicate detection (查重) keys: a company name with width, case, punctuation, spaces and the usual legal
 * suffixes removed; the credit code upper-cased; phone numbers as bare digits without the country code.
 */
public final class DuplicateKeys {
    private static final Pattern NOT_NAME = Pattern.compile("[\\p{P}\\p{S}\\p{Z}\\s]+");
    private static final List<String> SUFFIXES = List.of("股份有限公司", "有限责任公司", "有限公司", "集团公司", "集团", "公司",
            "corporation", "company", "limited", "corp", "inc", "ltd", "llc", "co");

    private DuplicateKeys() {
    }

    public static String companyName(String name) {
        String n = Normalizer.normalize(name, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        n = NOT_NAME.matcher(n).replaceAll("");
        boolean stripped = true;
        while (stripped) {
            stripped = false;
            for (String suffix : SUFFIXES) {
                if (n.endsWith(suffix) && n.length() > suffix.length()) {
                    n = n.substring(0, n.length() - suffix.length());
                    stripped = true;
                }
            }
        }
        return n;
    }

    public static String phone(String phone) {
        String digits = Normalizer.normalize(phone, Normalizer.Form.NFKC).replaceAll("\\D", "");
        if (digits.startsWith("0086")) {
            digits = digits.substring(4);
        } else if (digits.startsWith("86") && digits.length() == 13) {
            digits = digits.substring(2);
        }
        return digits;
    }

    public static String creditCode(String code) {
        return Normalizer.normalize(code, Normalizer.Form.NFKC).toUpperCase(Locale.ROOT).trim();
    }

    public static Set<String> phones(List<Contact> contacts) {
        Set<String> out = new LinkedHashSet<>();
        for (Contact c : contacts) {
            if (c.phone() != null) {
                out.add(phone(c.phone()));
            }
        }
        return out;
    }
}
