package com.rackflow.local.cloudformation;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Short-form intrinsic tags become CloudFormation's long form, as the JSON template would have them. */
class CloudFormationYamlTest {

    private static Object value(String yaml) {
        return CloudFormationYaml.parse("v: " + yaml).get("v");
    }

    @Test
    void refAndCondition() {
        assertThat(value("!Ref Stage")).isEqualTo(Map.of("Ref", "Stage"));
        assertThat(value("!Condition UseCognito")).isEqualTo(Map.of("Condition", "UseCognito"));
    }

    @Test
    void getAttInDottedAndListForms() {
        assertThat(value("!GetAtt Fn.Arn")).isEqualTo(Map.of("Fn::GetAtt", List.of("Fn", "Arn")));
        assertThat(value("!GetAtt Db.Endpoint.Address")).isEqualTo(Map.of("Fn::GetAtt", List.of("Db", "Endpoint.Address")));
        assertThat(value("!GetAtt [Fn, Arn]")).isEqualTo(Map.of("Fn::GetAtt", List.of("Fn", "Arn")));
        assertThatThrownBy(() -> value("!GetAtt NoAttribute")).isInstanceOf(TemplateException.class)
                .hasMessageContaining("Resource.Attribute");
    }

    @Test
    void subInStringAndListForms() {
        assertThat(value("!Sub 'rackflow-${Stage}'")).isEqualTo(Map.of("Fn::Sub", "rackflow-${Stage}"));
        assertThat(value("!Sub ['${A}-x', {A: !Ref Stage}]"))
                .isEqualTo(Map.of("Fn::Sub", List.of("${A}-x", Map.of("A", Map.of("Ref", "Stage")))));
    }

    @Test
    void conditionFunctions() {
        assertThat(value("!If [C, a, b]")).isEqualTo(Map.of("Fn::If", List.of("C", "a", "b")));
        assertThat(value("!Equals [!Ref P, '']")).isEqualTo(Map.of("Fn::Equals", List.of(Map.of("Ref", "P"), "")));
        assertThat(value("!Not [!Condition C]")).isEqualTo(Map.of("Fn::Not", List.of(Map.of("Condition", "C"))));
        assertThat(value("!And [!Condition A, !Condition B]"))
                .isEqualTo(Map.of("Fn::And", List.of(Map.of("Condition", "A"), Map.of("Condition", "B"))));
        assertThat(value("!Or [!Condition A, !Condition B]"))
                .isEqualTo(Map.of("Fn::Or", List.of(Map.of("Condition", "A"), Map.of("Condition", "B"))));
    }

    @Test
    void listAndStringFunctions() {
        assertThat(value("!Join ['-', [a, !Ref B]]")).isEqualTo(Map.of("Fn::Join", List.of("-", List.of("a", Map.of("Ref", "B")))));
        assertThat(value("!Select [1, !Split [',', 'a,b']]"))
                .isEqualTo(Map.of("Fn::Select", List.of(1, Map.of("Fn::Split", List.of(",", "a,b")))));
        assertThat(value("!FindInMap [M, k1, k2]")).isEqualTo(Map.of("Fn::FindInMap", List.of("M", "k1", "k2")));
        assertThat(value("!ImportValue shared-vpc")).isEqualTo(Map.of("Fn::ImportValue", "shared-vpc"));
        assertThat(value("!Base64 text")).isEqualTo(Map.of("Fn::Base64", "text"));
        assertThat(value("!Base64 {Fn::Sub: x}")).isEqualTo(Map.of("Fn::Base64", Map.of("Fn::Sub", "x")));
    }

    @Test
    void tagsNestInsideBlockMappings() {
        Map<String, Object> template = CloudFormationYaml.parse("""
                Resources:
                  Fn:
                    Properties:
                      Environment:
                        Variables:
                          ARN: !GetAtt Other.Arn
                          URL: !Sub
                            - 'https://${Host}/x'
                            - Host: !Ref HostParam
                """);
        Object variables = ((Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) template.get("Resources")).get("Fn"))
                .get("Properties")).get("Environment")).get("Variables");
        assertThat(variables).isEqualTo(Map.of(
                "ARN", Map.of("Fn::GetAtt", List.of("Other", "Arn")),
                "URL", Map.of("Fn::Sub", List.of("https://${Host}/x", Map.of("Host", Map.of("Ref", "HostParam"))))));
    }

    @Test
    void duplicateKeysAreRefused() {
        assertThatThrownBy(() -> CloudFormationYaml.parse("a: 1\na: 2\n")).hasMessageContaining("duplicate key");
    }
}
