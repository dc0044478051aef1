package com.rackflow.racking;

import com.rackflow.contracts.ContractSerial;
import com.rackflow.core.http.Input;

/** Reads a contract serial and names exactly what is wrong with a malformed one (length, prefix, digits). */
final class SerialRule {
    private SerialRule() {
    }

    static String read(Input in, String field) {
        String s = in.requiredString(field, 64);
        if (s == null) {
            return null;
        }
        if (s.length() != 12) {
            in.add(field, "length", "must be exactly 12 characters (" + ContractSerial.DESCRIPTION + ")");
        } else if (!s.startsWith("HT")) {
            in.add(field, "prefix", "must start with HT (" + ContractSerial.DESCRIPTION + ")");
        } else if (!s.substring(2).chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            in.add(field, "digits", "must be HT followed by 10 digits (" + ContractSerial.DESCRIPTION + ")");
        } else {
            return s;
        }
        return null;
    }
}
