package com.rackflow.local.stepfunctions.integrations;

import java.util.List;

/**
 * A Task state's Resource: a service integration ({@code arn:aws:states:::service:action[.pattern]}, where the
 * service of an SDK integration is {@code aws-sdk:service}) or a plain Lambda function ARN.
 */
public record TaskResource(String arn, String service, String action, String pattern, boolean lambdaArn) {

    private static final String INTEGRATION_PREFIX = "arn:aws:states:::";

    public static TaskResource parse(String arn) {
        if (arn.startsWith(INTEGRATION_PREFIX)) {
            String rest = arn.substring(INTEGRATION_PREFIX.length());
            String pattern = "";
            for (String p : List.of(".waitForTaskToken", ".sync:2", ".sync")) {
                if (rest.endsWith(p)) {
                    pattern = p;
                    rest = rest.substring(0, rest.length() - p.length());
                    break;
                }
            }
            int colon = rest.lastIndexOf(':');
            if (colon < 0) {
                return new TaskResource(arn, rest, "", pattern, false);
            }
            return new TaskResource(arn, rest.substring(0, colon), rest.substring(colon + 1), pattern, false);
        }
        if (arn.startsWith("arn:aws:lambda:") && arn.contains(":function:")) {
            return new TaskResource(arn, "lambda", "", "", true);
        }
        return new TaskResource(arn, "", "", "", false);
    }

    /** An activity ARN (arn:aws:states:region:account:activity:name): the task is done by a polling worker. */
    public boolean activityArn() {
        return arn.matches("arn:[^:]+:states:[^:]*:[^:]*:activity:.+");
    }

    public boolean isCallback() {
        return ".waitForTaskToken".equals(pattern);
    }

    /** The {@code resource} of task history events, e.g. {@code invoke.waitForTaskToken}. */
    public String resourceName() {
        return action + pattern;
    }
}
