package com.rackflow.customers;

import java.util.regex.Pattern;

/** The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters with a check character. */
public final class CreditCode {
    private static final String CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static final int[] WEIGHTS = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
    public static final Pattern FORMAT = Pattern.compile("[0-9A-HJ-NPQRTUWXY]{2}\\d{6}[0-9A-HJ-NPQRTUWXY]{10}");

    private CreditCode() {
    }

    public static boolean isValid(String code) {
        if (code == null || !FORMAT.matcher(code).matches()) {
            return false;
        }
        return code.charAt(17) == checkCharacter(code.substring(0, 17));
    }

    /** The 18th character for the first 17. */
    public static char checkCharacter(String first17) {
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += CHARSET.indexOf(first17.charAt(i)) * WEIGHTS[i];
        }
        int c = 31 - sum % 31;
        return CHARSET.charAt(c == 31 ? 0 : c);
    }
}
