package com.rackflow.local.stack.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** An {@code AWS::S3::Bucket}: its name and its evaluated properties (CORS rules, lifecycle rules). */
public record BucketSpec(String logicalId, String bucketName, Map<String, Object> properties) {

    /** A CORS rule as declared (CorsConfiguration.CorsRules[i]). */
    public record Cors(List<String> allowedOrigins, List<String> allowedMethods, List<String> allowedHeaders,
                       List<String> exposedHeaders, Integer maxAge) {
    }

    /** An enabled expiration rule: its prefix (Prefix or Filter.Prefix, "" for all) and days. */
    public record Expiration(String prefix, int days) {
    }

    public List<Cors> corsRules() {
        List<Cors> out = new ArrayList<>();
        if (properties.get("CorsConfiguration") instanceof Map<?, ?> c && c.get("CorsRules") instanceof List<?> rules) {
            for (Object r : rules) {
                Map<?, ?> rule = (Map<?, ?>) r;
                out.add(new Cors(strings(rule.get("AllowedOrigins")), strings(rule.get("AllowedMethods")),
                        strings(rule.get("AllowedHeaders")), strings(rule.get("ExposedHeaders")),
                        rule.get("MaxAge") == null ? null : Integer.valueOf(String.valueOf(rule.get("MaxAge")))));
            }
        }
        return out;
    }

    public List<Expiration> expirations() {
        List<Expiration> out = new ArrayList<>();
        if (properties.get("LifecycleConfiguration") instanceof Map<?, ?> l && l.get("Rules") instanceof List<?> rules) {
            for (Object r : rules) {
                Map<?, ?> rule = (Map<?, ?>) r;
                if (!"Enabled".equals(rule.get("Status")) || rule.get("ExpirationInDays") == null) {
                    continue;
                }
                Object prefix = rule.get("Prefix");
                if (prefix == null && rule.get("Filter") instanceof Map<?, ?> f) {
                    prefix = f.get("Prefix");
                }
                out.add(new Expiration(prefix == null ? "" : String.valueOf(prefix),
                        Integer.parseInt(String.valueOf(rule.get("ExpirationInDays")))));
            }
        }
        return out;
    }

    private static List<String> strings(Object v) {
        List<String> out = new ArrayList<>();
        if (v instanceof List<?> list) {
            list.forEach(x -> out.add(String.valueOf(x)));
        }
        return out;
    }
}
