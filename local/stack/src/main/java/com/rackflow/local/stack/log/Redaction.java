package com.rackflow.local.stack.log;

import java.util.regex.Pattern;

/**
 * Masks what must never reach a log in text the stack does not control (a function's exception message): e-mail
 * addresses, phone-like digit runs and bearer tokens.
 */
public final class Redaction {

    private static final Pattern EMAIL = Pattern.compile("[^\\s@\"']+@[^\\s@\"']+\\.[A-Za-z]{2,}");
    private static final Pattern PHONE = Pattern.compile("(?<![\\w-])\\+?\\d[\\d -]{5,}\\d(?![\\w-])");
    private static final Pattern BEARER = Pattern.compile("(?i)bearer\\s+[-0-9A-Za-z._~+/]+=*");
    private static final Pattern JWT = Pattern.compile("eyJ[-0-9A-Za-z_]+\\.[-0-9A-Za-z_]+\\.[-0-9A-Za-z_]*");

    private Redaction() {
    }

    public static String mask(String text) {
        if (text == null) {
            return null;
        }
        String masked = BEARER.matcher(text).replaceAll("Bearer [token]");
        masked = JWT.matcher(masked).replaceAll("[token]");
        masked = EMAIL.matcher(masked).replaceAll("[email]");
        return PHONE.matcher(masked).replaceAll("[number]");
    }
}
