package com.rackflow.customers;

import java.text.Normalizer;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Duplicate detection (查重) keys. A company name is compared after Unicode NFKC (full-width and half-width alike),
 * with invisible characters (format and control characters, variation selectors, fillers) dropped, case folded,
 * bracketed group markers such as （集团） and the usual company-form suffixes removed in any order and combination,
 * and punctuation and spaces ignored. Credit codes compare upper-cased; phones by {@link PhoneNumber#key()}.
 */
public final class DuplicateKeys {
    /** Characters nobody sees: Cf (zero-width space/joiners, soft hyphen, BOM, bidi marks), Cc, variation selectors, fillers. */
    private static final Pattern INVISIBLE = Pattern.compile(
            "[\\p{Cf}\\p{Cc}\\x{FE00}-\\x{FE0F}\\x{E0100}-\\x{E01EF}\\x{115F}\\x{1160}\\x{3164}\\x{FFA0}]");
    private static final String GROUP_MARKER = "(?:集团|控股|股份|集团股份|控股集团|group|holdings?)";
    private static final Pattern BRACKETED_MARKER = Pattern.compile(
            "[(\\[{（【〔［〈《「『]\\s*" + GROUP_MARKER + "(?:\\s*" + GROUP_MARKER + ")*\\s*[)\\]}）】〕］〉》」』]");
    private static final Pattern NOT_NAME = Pattern.compile("[\\p{P}\\p{S}\\p{Z}\\s]+");
    /** Chinese company forms (simplified; traditional forms are mapped first), matched at the end without a word break. */
    private static final Pattern CJK_SUFFIX = Pattern.compile(
            "(?:股份有限公司|有限责任公司|有限公司|股份公司|集团公司|集团|公司)$");
    /** Latin company forms, matched as whole words at the end. */
    private static final Pattern LATIN_SUFFIX = Pattern.compile(
            "(?:^|\\s)(?:co|corp|corporation|company|inc|incorporated|ltd|limited|llc|plc|gmbh|group|holdings?|pte|pty)$");
    private static final String[][] TRADITIONAL = {{"責任", "责任"}, {"集團", "集团"}};

    private DuplicateKeys() {
    }

    public static String companyName(String name) {
        String n = INVISIBLE.matcher(name).replaceAll("");
        n = Normalizer.normalize(n, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        n = INVISIBLE.matcher(n).replaceAll("");
        for (String[] t : TRADITIONAL) {
            n = n.replace(t[0], t[1]);
        }
        n = BRACKETED_MARKER.matcher(n).replaceAll(" ");
        n = NOT_NAME.matcher(n).replaceAll(" ").strip();
        String kept = n;
        while (!n.isEmpty()) {
            String shorter = stripSuffix(n);
            if (shorter.equals(n)) {
                break;
            }
            n = shorter;
            if (!n.isEmpty()) {
                kept = n;
            }
        }
        return kept.replace(" ", "");
    }

    private static String stripSuffix(String n) {
        for (Pattern p : List.of(CJK_SUFFIX, LATIN_SUFFIX)) {
            Matcher m = p.matcher(n);
            if (m.find()) {
                return n.substring(0, m.start()).strip();
            }
        }
        return n;
    }

    /** The duplicate key of a stored or entered phone; what is not a phone number compares by its digits. */
    public static String phone(String phone) {
        return PhoneNumber.parse(phone).map(PhoneNumber::key)
                .orElseGet(() -> Normalizer.normalize(phone, Normalizer.Form.NFKC).replaceAll("\\D", ""));
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
