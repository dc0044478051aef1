package com.rackflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.rackflow.testing.LocalTable;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** template.yaml against the official SAM schema (shared/schemas/sam.schema.json), with intrinsic tags parsed. */
class TemplateTest {

    /** The official SAM schema from shared/ beside the repository, else the copy kept in schemas/ (same file, Apache-2.0). */
    static JsonSchema samSchema() throws Exception {
        Path shared = LocalTable.repositoryRoot().resolveSibling("shared").resolve("schemas/sam.schema.json");
        Path schemaFile = Files.exists(shared) ? shared : LocalTable.repositoryRoot().resolve("schemas/sam.schema.json");
        try (InputStream in = Files.newInputStream(schemaFile)) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(in);
        }
    }

    @Test
    void templateValidatesAgainstTheSamSchema() throws Exception {
        Set<ValidationMessage> errors = samSchema().validate(LocalTable.template());
        assertThat(errors).isEmpty();
    }

    @Test
    void theSchemaCheckCatchesAMistake() throws Exception {
        JsonNode broken = LocalTable.template();
        ((com.fasterxml.jackson.databind.node.ObjectNode) broken.path("Resources").path("CustomersFunction").path("Properties"))
                .put("Handlr", "com.rackflow.customers.CustomersHandler::handleRequest");
        assertThat(samSchema().validate(broken)).isNotEmpty();
    }

    @Test
    void intrinsicTagsAreParsedIntoTheirLongForm() throws Exception {
        JsonNode t = LocalTable.template();
        JsonNode env = t.path("Globals").path("Function").path("Environment").path("Variables");
        assertThat(env.path("TABLE_NAME").path("Ref").asText()).isEqualTo("RackFlowTable");
        JsonNode issuer = t.path("Resources").path("AuthorizerFunction").path("Properties").path("Environment")
                .path("Variables").path("JWT_ISSUER");
        assertThat(issuer.has("Fn::If")).isTrue();
        assertThat(issuer.path("Fn::If").path(1).has("Fn::Sub")).isTrue();
    }

    @Test
    void everyFunctionRunsJava21WithSnapStartAndAnAlias() {
        JsonNode t = LocalTable.template();
        JsonNode globals = t.path("Globals").path("Function");
        assertThat(globals.path("Runtime").asText()).isEqualTo("java21");
        assertThat(globals.path("AutoPublishAlias").asText()).isNotEmpty();
        assertThat(globals.path("SnapStart").path("ApplyOn").asText()).isEqualTo("PublishedVersions");
        assertThat(globals.path("LoggingConfig").path("LogFormat").asText()).isEqualTo("JSON");
        assertThat(t.path("Resources").path("RackFlowApi").path("Properties").path("Auth").path("Authorizers")
                .path("RackFlowAuthorizer").path("FunctionArn").path("Ref").asText()).isEqualTo("AuthorizerFunction.Alias");
    }
}
