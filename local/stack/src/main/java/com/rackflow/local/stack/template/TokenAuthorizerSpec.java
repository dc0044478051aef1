package com.rackflow.local.stack.template;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * A Lambda TOKEN authorizer of a REST API.
 *
 * @param functionArn as written in the template (alias ARN when it refers to {@code Fn.Alias})
 * @param validationExpression null when the template sets none
 * @param cacheTtl {@code ReauthorizeEvery}; zero disables the cache
 */
public record TokenAuthorizerSpec(String name, String functionArn, String identityHeader, Pattern validationExpression,
                                  Duration cacheTtl) {
}
