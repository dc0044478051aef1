package com.rackflow.local.stack.template;

import com.rackflow.local.cloudformation.TemplateException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.rackflow.local.dynalite.Dynalite;

/** The repository's template.yaml as the local stack reads it, and SAM's Globals and environment rules. */
class SamApplicationTest {

    private static final Path TEMPLATE = Dynalite.repositoryRoot().resolve("template.yaml");
    private static final Map<String, String> LOCAL_IDP = Map.of(
            "JwtIssuer", "http://127.0.0.1:3000/local-idp",
            "JwtAudience", "rackflow-local",
            "JwksUrl", "http://127.0.0.1:3000/local-idp/.well-known/jwks.json");

    @Test
    void localIdentityProviderOverridesTurnCognitoOff() {
        SamApplication app = SamApplication.load(TEMPLATE, LOCAL_IDP);

        assertThat(app.evaluator().condition("UseCognito")).isFalse();
        FunctionSpec authorizer = app.function("AuthorizerFunction");
        assertThat(authorizer.environment()).containsEntry("JWT_ISSUER", "http://127.0.0.1:3000/local-idp")
                .containsEntry("JWT_AUDIENCE", "rackflow-local")
                .containsEntry("JWKS_URL", "http://127.0.0.1:3000/local-idp/.well-known/jwks.json")
                .containsEntry("TABLE_NAME", "RackFlowTable")
                .containsEntry("STAGE", "dev");
    }

    @Test
    void aDynamicReferenceToTheTemplatesGeneratedSecretGetsOneGeneratedValuePerStack() {
        SamApplication app = SamApplication.load(TEMPLATE, LOCAL_IDP);
        String key = app.function("CustomersFunction").environment().get("CURSOR_KEY");

        assertThat(key).matches("[A-Za-z0-9]{64}");
        assertThat(app.function("DirectoryFunction").environment()).containsEntry("CURSOR_KEY", key);
        assertThat(SamApplication.load(TEMPLATE, LOCAL_IDP).function("CustomersFunction").environment().get("CURSOR_KEY"))
                .isNotEqualTo(key);
    }

    @Test
    void withoutOverridesTheAuthorizerTrustsTheCognitoPool() {
        SamApplication app = SamApplication.load(TEMPLATE, Map.of());

        assertThat(app.evaluator().condition("UseCognito")).isTrue();
        assertThat(app.function("AuthorizerFunction").environment().get("JWKS_URL"))
                .isEqualTo("https://cognito-idp.us-east-1.amazonaws.com/StaffUserPool/.well-known/jwks.json");
    }

    @Test
    void functionsGetGlobalsAndRoutes() {
        SamApplication app = SamApplication.load(TEMPLATE, LOCAL_IDP);
        FunctionSpec customers = app.function("CustomersFunction");

        assertThat(customers.handler()).isEqualTo("com.rackflow.customers.CustomersHandler::handleRequest");
        assertThat(customers.timeoutSeconds()).isEqualTo(29);
        assertThat(customers.memoryMb()).isEqualTo(1024);
        assertThat(customers.alias()).isEqualTo("live");
        assertThat(customers.routes()).extracting(r -> r.method() + " " + r.path())
                .contains("POST /customers", "GET /customers", "GET /customers/{id}", "PATCH /customers/{id}",
                        "POST /customers/{id}/transitions");
        assertThat(customers.routes()).allSatisfy(r -> assertThat(r.apiLogicalId()).isEqualTo("RackFlowApi"));
    }

    @Test
    void apiAuthorizerCorsAndGatewayResponses() {
        SamApplication app = SamApplication.load(TEMPLATE, LOCAL_IDP);
        RestApiSpec api = app.api("RackFlowApi");

        assertThat(api.stageName()).isEqualTo("dev");
        assertThat(api.defaultAuthorizer()).isEqualTo("RackFlowAuthorizer");
        assertThat(api.authorizeCorsPreflight()).isFalse();
        TokenAuthorizerSpec authorizer = api.authorizers().get("RackFlowAuthorizer");
        assertThat(authorizer.functionArn()).isEqualTo("arn:aws:lambda:us-east-1:123456789012:function:AuthorizerFunction:live");
        assertThat(authorizer.identityHeader()).isEqualTo("Authorization");
        assertThat(authorizer.cacheTtl()).isEqualTo(Duration.ofSeconds(300));
        assertThat(authorizer.validationExpression().matcher("Bearer abc.def-ghi_jkl").matches()).isTrue();
        assertThat(api.cors().allowOrigin()).isEqualTo("'*'");
        assertThat(api.gatewayResponses()).containsKeys("DEFAULT_4XX", "DEFAULT_5XX", "UNAUTHORIZED", "ACCESS_DENIED");
        assertThat(app.functionByArn(authorizer.functionArn()).logicalId()).isEqualTo("AuthorizerFunction");
    }

    @Test
    void tablesComeWithKeysAndIndexes() {
        SamApplication app = SamApplication.load(TEMPLATE, LOCAL_IDP);

        assertThat(app.tables()).extracting(TableSpec::tableName).contains("RackFlowTable");
        assertThat(app.function("CustomersFunction").environment()).containsEntry("TABLE_NAME", "RackFlowTable");
    }

    @Test
    void globalsMergeMapsAppendListsAndLetTheFunctionWin() {
        Object merged = SamApplication.mergeGlobals(
                Map.of("Timeout", 29, "Layers", java.util.List.of("a"), "Environment", Map.of("Variables", Map.of("A", "1", "B", "1"))),
                Map.of("Timeout", 5, "Layers", java.util.List.of("b"), "Environment", Map.of("Variables", Map.of("B", "2"))));
        assertThat(merged).isEqualTo(Map.of("Timeout", 5, "Layers", java.util.List.of("a", "b"),
                "Environment", Map.of("Variables", Map.of("A", "1", "B", "2"))));
        assertThat(SamApplication.mergeGlobals(Map.of("Ref", "X"), Map.of("Fn::Sub", "y"))).isEqualTo(Map.of("Fn::Sub", "y"));
    }

    @Test
    void functionsKeepTheirOwnEnvironmentCodeUriSnapStartAndLoggingConfig(@TempDir Path dir) throws IOException {
        Path template = dir.resolve("template.yaml");
        Files.writeString(template, """
                Globals:
                  Function:
                    CodeUri: code
                    SnapStart: {ApplyOn: PublishedVersions}
                    LoggingConfig: {LogFormat: JSON, ApplicationLogLevel: WARN}
                Resources:
                  First:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: a.B::handleRequest
                      Environment: {Variables: {MODE: fast}}
                  Second:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: a.C
                      CodeUri: other
                      SnapStart: {ApplyOn: None}
                      Environment: {Variables: {MODE: slow}}
                """);
        SamApplication app = SamApplication.load(template, Map.of());

        FunctionSpec first = app.function("First");
        FunctionSpec second = app.function("Second");
        assertThat(first.environment()).containsEntry("MODE", "fast");
        assertThat(second.environment()).containsEntry("MODE", "slow");
        assertThat(first.codeUri()).isEqualTo(dir.resolve("code"));
        assertThat(second.codeUri()).isEqualTo(dir.resolve("other"));
        assertThat(first.snapStart()).isTrue();
        assertThat(second.snapStart()).isFalse();
        assertThat(first.logging()).isEqualTo(new FunctionSpec.Logging("JSON", "WARN", "INFO"));
        assertThat(second.handlerMethodName()).isEqualTo("handleRequest");
    }

    @Test
    void stateMachineDefinitionGetsItsSubstitutions(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("flow.asl.json"),
                "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Task\",\"Resource\":\"${WorkerArn}\",\"End\":true}}}");
        Path template = dir.resolve("template.yaml");
        Files.writeString(template, """
                Resources:
                  Worker:
                    Type: AWS::Serverless::Function
                    Properties: {Handler: a.B::handleRequest, AutoPublishAlias: live}
                  Table:
                    Type: AWS::DynamoDB::Table
                  Flow:
                    Type: AWS::Serverless::StateMachine
                    Properties:
                      DefinitionUri: flow.asl.json
                      DefinitionSubstitutions:
                        WorkerArn: !Ref Worker.Alias
                        TableName: !Ref Table
                """);
        StateMachineSpec flow = SamApplication.load(template, Map.of()).stateMachines().get(0);

        assertThat(flow.arn()).isEqualTo("arn:aws:states:us-east-1:123456789012:stateMachine:Flow");
        assertThat(flow.definitionJson()).contains("\"Resource\":\"arn:aws:lambda:us-east-1:123456789012:function:Worker:live\"");
        assertThat(flow.substitutions()).containsEntry("TableName", "Table");
    }
}
