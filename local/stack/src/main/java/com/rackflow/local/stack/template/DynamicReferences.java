package com.rackflow.local.stack.template;

import com.rackflow.local.cloudformation.TemplateException;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CloudFormation's dynamic references to the template's own Secrets Manager secrets
 * ({@code {{resolve:secretsmanager:<secret>:SecretString}}}, the secret given by {@code !Ref}): each secret with a
 * {@code GenerateSecretString} gets a random value when the stack starts, as a deployment generates one when the
 * secret is created. A reference to anything else is an error, so nothing resolves to a made-up value silently.
 */
final class DynamicReferences {
    private static final Pattern SECRET = Pattern.compile("\\{\\{resolve:secretsmanager:([^:}]+)(?::SecretString)?(?::[^}]*)?}}");
    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private final Set<String> generatedSecrets;
    private final Map<String, String> values = new HashMap<>();
    private final SecureRandom random = new SecureRandom();

    DynamicReferences(Set<String> generatedSecrets) {
        this.generatedSecrets = generatedSecrets;
    }

    String resolve(String text) {
        if (text == null || !text.contains("{{resolve:")) {
            return text;
        }
        Matcher m = SECRET.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String secret = m.group(1);
            if (!generatedSecrets.contains(secret)) {
                throw new TemplateException("dynamic reference " + m.group() + ": " + secret
                        + " is not an AWS::SecretsManager::Secret with GenerateSecretString in the template");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(values.computeIfAbsent(secret, s -> generate(64))));
        }
        m.appendTail(out);
        if (out.indexOf("{{resolve:") >= 0) {
            throw new TemplateException("unsupported dynamic reference in '" + text + "'");
        }
        return out.toString();
    }

    private String generate(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(ALPHANUMERIC.charAt(random.nextInt(ALPHANUMERIC.length())));
        }
        return sb.toString();
    }
}
