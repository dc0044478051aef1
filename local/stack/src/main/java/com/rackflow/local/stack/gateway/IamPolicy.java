package com.rackflow.local.stack.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The IAM policy a Lambda authorizer returns, evaluated as API Gateway does for {@code execute-api:Invoke} on a
 * method ARN: an explicit Deny wins, otherwise an Allow is needed. {@code *} and {@code ?} are wildcards in actions
 * and resources ({@code *} also across {@code /}).
 */
record IamPolicy(List<Statement> statements) {

    enum Decision { ALLOW, EXPLICIT_DENY, IMPLICIT_DENY }

    record Statement(boolean allow, List<Pattern> actions, List<Pattern> resources) {
        boolean matches(String action, String resource) {
            return actions.stream().anyMatch(p -> p.matcher(action).matches())
                    && resources.stream().anyMatch(p -> p.matcher(resource).matches());
        }
    }

    private static final String INVOKE = "execute-api:Invoke";

    Decision evaluate(String methodArn) {
        boolean allowed = false;
        for (Statement s : statements) {
            if (s.matches(INVOKE, methodArn)) {
                if (!s.allow()) {
                    return Decision.EXPLICIT_DENY;
                }
                allowed = true;
            }
        }
        return allowed ? Decision.ALLOW : Decision.IMPLICIT_DENY;
    }

    /** Reads {@code policyDocument}; a document API Gateway could not use is an {@link IllegalArgumentException}. */
    static IamPolicy parse(JsonNode document) {
        if (document == null || !document.isObject()) {
            throw new IllegalArgumentException("policyDocument missing or not an object");
        }
        JsonNode statementNode = document.get("Statement");
        if (statementNode == null) {
            throw new IllegalArgumentException("policyDocument has no Statement");
        }
        List<Statement> statements = new ArrayList<>();
        for (JsonNode s : statementNode.isArray() ? statementNode : List.of(statementNode)) {
            String effect = s.path("Effect").asText("");
            if (!effect.equals("Allow") && !effect.equals("Deny")) {
                throw new IllegalArgumentException("Statement Effect must be Allow or Deny, got '" + effect + "'");
            }
            statements.add(new Statement(effect.equals("Allow"), patterns(s.get("Action"), true),
                    patterns(s.get("Resource"), false)));
        }
        return new IamPolicy(List.copyOf(statements));
    }

    private static List<Pattern> patterns(JsonNode node, boolean caseInsensitive) {
        if (node == null) {
            throw new IllegalArgumentException("Statement needs Action and Resource");
        }
        List<Pattern> patterns = new ArrayList<>();
        for (JsonNode value : node.isArray() ? node : List.of(node)) {
            if (!value.isTextual()) {
                throw new IllegalArgumentException("Action and Resource must be strings");
            }
            patterns.add(wildcard(value.asText(), caseInsensitive));
        }
        return patterns;
    }

    static Pattern wildcard(String glob, boolean caseInsensitive) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return caseInsensitive
                ? Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.DOTALL)
                : Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
