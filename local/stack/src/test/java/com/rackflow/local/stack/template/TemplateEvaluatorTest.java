package com.rackflow.local.stack.template;

import com.rackflow.local.cloudformation.TemplateException;
import com.rackflow.local.cloudformation.CloudFormationYaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Intrinsic functions, parameters, pseudo parameters and conditions, evaluated as CloudFormation would locally. */
class TemplateEvaluatorTest {

    private static final String TEMPLATE = """
            Parameters:
              Stage: {Type: String, Default: dev, AllowedValues: [dev, staging, prod]}
              Issuer: {Type: String, Default: ''}
              Ttl: {Type: Number, Default: 300}
              Zones: {Type: CommaDelimitedList, Default: 'a, b,c'}
            Mappings:
              Sizes:
                dev: {Memory: 512}
                prod: {Memory: 2048}
            Conditions:
              UseCognito: !Equals [!Ref Issuer, '']
              IsProd: !Equals [!Ref Stage, prod]
              CognitoInProd: !And [!Condition UseCognito, !Condition IsProd]
              NotProd: !Not [!Condition IsProd]
              EitherWay: !Or [!Condition IsProd, !Condition UseCognito]
            Globals:
              Function:
                AutoPublishAlias: live
            Resources:
              Table:
                Type: AWS::DynamoDB::Table
              NamedTable:
                Type: AWS::DynamoDB::Table
                Properties: {TableName: !Sub 'rackflow-${Stage}'}
              Api:
                Type: AWS::Serverless::Api
                Properties: {StageName: !Ref Stage}
              Worker:
                Type: AWS::Serverless::Function
                Properties: {Handler: x.Y::handleRequest}
              Flow:
                Type: AWS::Serverless::StateMachine
                Properties: {Name: !Sub 'racking-${Stage}'}
              Pool:
                Type: AWS::Cognito::UserPool
                Condition: UseCognito
            """;

    private static TemplateEvaluator evaluator(Map<String, String> overrides) {
        return new TemplateEvaluator(CloudFormationYaml.parse(TEMPLATE), overrides);
    }

    private static Object eval(String yaml) {
        return eval(yaml, Map.of());
    }

    private static Object eval(String yaml, Map<String, String> overrides) {
        return evaluator(overrides).evaluate(CloudFormationYaml.parse("v: " + yaml).get("v"));
    }

    @Test
    void parametersTakeDefaultsThenOverrides() {
        assertThat(eval("!Ref Stage")).isEqualTo("dev");
        assertThat(eval("!Ref Stage", Map.of("Stage", "prod"))).isEqualTo("prod");
        assertThat(eval("!Ref Ttl")).isEqualTo("300");
        assertThat(eval("!Ref Zones")).isEqualTo(List.of("a", "b", "c"));
    }

    @Test
    void overridesAreChecked() {
        assertThatThrownBy(() -> evaluator(Map.of("Stage", "qa"))).isInstanceOf(TemplateException.class)
                .hasMessageContaining("Stage").hasMessageContaining("qa");
        assertThatThrownBy(() -> evaluator(Map.of("Nope", "x"))).hasMessageContaining("Nope is not a parameter");
    }

    @Test
    void pseudoParameters() {
        assertThat(eval("!Sub '${AWS::Region}/${AWS::AccountId}/${AWS::StackName}/${AWS::Partition}/${AWS::URLSuffix}'"))
                .isEqualTo("us-east-1/123456789012/rackflow-local/aws/amazonaws.com");
    }

    @Test
    void subReplacesParametersResourcesAttributesAndKeepsEscapes() {
        assertThat(eval("!Sub 'https://${Api}.execute-api.${AWS::Region}.amazonaws.com/${Stage}'"))
                .isEqualTo("https://local.execute-api.us-east-1.amazonaws.com/dev");
        assertThat(eval("!Sub '${Worker.Arn}|${!Literal}|${Table}'"))
                .isEqualTo("arn:aws:lambda:us-east-1:123456789012:function:Worker|${Literal}|Table");
        assertThat(eval("!Sub ['${Prefix}-${Stage}', {Prefix: !Ref NamedTable}]")).isEqualTo("rackflow-dev-dev");
    }

    @Test
    void refsToResources() {
        assertThat(eval("!Ref Table")).isEqualTo("Table");
        assertThat(eval("!Ref NamedTable", Map.of("Stage", "prod"))).isEqualTo("rackflow-prod");
        assertThat(eval("!Ref Api")).isEqualTo("local");
        assertThat(eval("!Ref Worker")).isEqualTo("Worker");
        assertThat(eval("!Ref Worker.Alias")).isEqualTo("arn:aws:lambda:us-east-1:123456789012:function:Worker:live");
        assertThat(eval("!GetAtt Worker.Arn")).isEqualTo("arn:aws:lambda:us-east-1:123456789012:function:Worker");
        assertThat(eval("!GetAtt [NamedTable, Arn]")).isEqualTo("arn:aws:dynamodb:us-east-1:123456789012:table/rackflow-dev");
        assertThat(eval("!Ref Flow")).isEqualTo("arn:aws:states:us-east-1:123456789012:stateMachine:racking-dev");
        assertThat(eval("!GetAtt Flow.Name")).isEqualTo("racking-dev");
    }

    @Test
    void conditions() {
        TemplateEvaluator defaults = evaluator(Map.of());
        assertThat(defaults.condition("UseCognito")).isTrue();
        assertThat(defaults.condition("IsProd")).isFalse();
        assertThat(defaults.condition("NotProd")).isTrue();
        assertThat(defaults.condition("CognitoInProd")).isFalse();
        assertThat(defaults.condition("EitherWay")).isTrue();
        assertThat(evaluator(Map.of("Stage", "prod")).condition("CognitoInProd")).isTrue();

        TemplateEvaluator external = evaluator(Map.of("Issuer", "http://127.0.0.1:3000/local-idp"));
        assertThat(external.condition("UseCognito")).isFalse();
        assertThat(external.resourceExists("Pool")).isFalse();
        assertThat(evaluator(Map.of()).resourceExists("Pool")).isTrue();
    }

    @Test
    void ifPicksOnlyTheTakenBranch() {
        String yaml = "!If [UseCognito, !Sub 'https://cognito-idp.${AWS::Region}.amazonaws.com/${Pool}', !Ref Issuer]";
        assertThat(eval(yaml)).isEqualTo("https://cognito-idp.us-east-1.amazonaws.com/Pool");
        // the other branch refers to a resource that is not created: it must not be evaluated
        assertThat(eval(yaml, Map.of("Issuer", "http://idp"))).isEqualTo("http://idp");
        assertThatThrownBy(() -> eval("!Ref Pool", Map.of("Issuer", "http://idp")))
                .hasMessageContaining("condition UseCognito is false");
    }

    @Test
    void noValueRemovesTheProperty() {
        Object evaluated = eval("{A: 1, B: !If [IsProd, 2, !Ref 'AWS::NoValue'], C: [x, !If [IsProd, y, !Ref 'AWS::NoValue']]}");
        assertThat(evaluated).isEqualTo(Map.of("A", 1, "C", List.of("x")));
    }

    @Test
    void listAndStringFunctions() {
        assertThat(eval("!Join [':', [a, !Ref Stage, 3]]")).isEqualTo("a:dev:3");
        assertThat(eval("!Select [1, !Split ['/', 'a/b/c']]")).isEqualTo("b");
        assertThat(eval("!Select ['0', !Ref Zones]")).isEqualTo("a");
        assertThat(eval("!FindInMap [Sizes, !Ref Stage, Memory]")).isEqualTo(512);
        assertThat(eval("!Base64 {'Fn::Sub': '${Stage}'}"))
                .isEqualTo(Base64.getEncoder().encodeToString("dev".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(eval("!GetAZs ''")).isEqualTo(List.of("us-east-1a", "us-east-1b", "us-east-1c"));
    }

    @Test
    void whatCannotBeEvaluatedLocallySaysSo() {
        assertThatThrownBy(() -> eval("!ImportValue shared-vpc")).hasMessageContaining("another stack");
        assertThatThrownBy(() -> eval("!Ref Missing")).hasMessageContaining("no parameter or resource named Missing");
        assertThatThrownBy(() -> eval("!GetAtt Table.Nope")).hasMessageContaining("Table.Nope");
    }
}
