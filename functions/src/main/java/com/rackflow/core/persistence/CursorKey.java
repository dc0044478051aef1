package com.rackflow.core.persistence;

import com.rackflow.core.config.Config;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

/**
 * The key that authenticates pagination cursors: {@code CURSOR_KEY}, which template.yaml fills from the
 * deployment's own Secrets Manager secret ({@code CursorKeySecret}, generated when the stack is created). Cursors
 * live for one browsing session, so rotating the secret (and redeploying) only makes open cursors restart.
 */
final class CursorKey {
    private static volatile SecretKeySpec key;

    private CursorKey() {
    }

    static byte[] mac(String payload, String query) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key());
            mac.update(payload.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return mac.doFinal(query.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static SecretKeySpec key() {
        SecretKeySpec k = key;
        if (k == null) {
            String secret = Config.required("CURSOR_KEY");
            if (secret.length() < 32) {
                throw new IllegalStateException("CURSOR_KEY must be at least 32 characters");
            }
            k = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
            key = k;
        }
        return k;
    }
}
