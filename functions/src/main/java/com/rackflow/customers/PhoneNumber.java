package com.rackflow.customers;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A mainland China phone number as people write it ({@code 139 0000 0001}, {@code +86 139-0000-0001},
 * {@code (021) 6123-4567}, {@code 021-61234567 转 8001}, {@code 400-820-8820}), kept in one canonical form:
 * mobiles as 11 digits, landlines as {@code <area code>-<number>} with an optional {@code -<extension>},
 * service numbers as {@code 400-xxx-xxxx}. {@link #key()} is what duplicate detection compares.
 */
public record PhoneNumber(String canonical, String key) {

    private static final Pattern EXTENSION = Pattern.compile("(?i)^(.*?\\d)\\s*(?:ext\\.?|x|转|分机|#)\\s*(\\d{1,6})$");
    private static final Pattern ALLOWED = Pattern.compile("\\+?[0-9 ().\\-]+");
    private static final Pattern BRACKETED_COUNTRY = Pattern.compile("^\\(\\s*(?:\\+86|0086|86)\\s*\\)");
    private static final Pattern GROUPS = Pattern.compile("\\d+");
    private static final Pattern MOBILE = Pattern.compile("1[3-9]\\d{9}");
    private static final Pattern SERVICE = Pattern.compile("[48]00\\d{7}");

    public static final String RULE = "must be a mainland mobile (11 digits starting 1), a landline with its area code "
            + "(e.g. 021-61234567, (021) 6123 4567, an extension after 转/ext) or a 400/800 number; +86 may precede it";

    /** The number written in {@code raw}, or empty when it is not a phone number this system accepts. */
    public static Optional<PhoneNumber> parse(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String s = Normalizer.normalize(raw, Normalizer.Form.NFKC).strip();
        String extension = null;
        Matcher ext = EXTENSION.matcher(s);
        if (ext.matches()) {
            s = ext.group(1).strip();
            extension = ext.group(2);
        }
        s = BRACKETED_COUNTRY.matcher(s).replaceFirst("+86 ");
        if (!ALLOWED.matcher(s).matches() || s.indexOf('+') > 0) {
            return Optional.empty();
        }
        List<String> groups = new ArrayList<>();
        Matcher g = GROUPS.matcher(s);
        while (g.find()) {
            groups.add(g.group());
        }
        boolean international = s.startsWith("+");
        String digits = String.join("", groups);
        if (digits.startsWith("0086")) {
            digits = digits.substring(4);
            international = true;
        } else if (digits.startsWith("86") && (international || groups.get(0).equals("86") || digits.length() == 13)) {
            digits = digits.substring(2);
            international = true;
        } else if (international) {
            return Optional.empty();
        }
        if (international && !digits.isEmpty() && digits.charAt(0) != '1' && digits.charAt(0) != '0'
                && !SERVICE.matcher(digits).matches()) {
            digits = "0" + digits; // +86 21 6123 4567: the trunk prefix is left out after the country code
        }
        if (MOBILE.matcher(digits).matches() && extension == null) {
            return Optional.of(new PhoneNumber(digits, digits));
        }
        if (SERVICE.matcher(digits).matches()) {
            String c = digits.substring(0, 3) + "-" + digits.substring(3, 6) + "-" + digits.substring(6);
            return Optional.of(new PhoneNumber(extension == null ? c : c + "-" + extension, digits));
        }
        if (!digits.startsWith("0") || digits.startsWith("00")) {
            return Optional.empty();
        }
        int area = digits.startsWith("01") || digits.startsWith("02") ? 3 : 4;
        String number = digits.substring(area);
        String last = groups.get(groups.size() - 1);
        if (extension == null && number.length() > 8 && groups.size() > 1 && last.length() <= 6
                && number.length() - last.length() >= 7 && number.length() - last.length() <= 8) {
            extension = last; // 021-61234567-8001
            number = number.substring(0, number.length() - last.length());
        }
        if (number.length() < 7 || number.length() > 8 || number.startsWith("0") || number.startsWith("1")) {
            return Optional.empty();
        }
        String main = digits.substring(0, area) + "-" + number;
        return Optional.of(new PhoneNumber(extension == null ? main : main + "-" + extension, digits.substring(0, area) + number));
    }
}
