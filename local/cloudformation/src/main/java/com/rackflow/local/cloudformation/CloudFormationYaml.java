package com.rackflow.local.cloudformation;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a CloudFormation / SAM template written in YAML. The short-form intrinsic tags ({@code !Ref}, {@code !Sub},
 * {@code !GetAtt} ...) are constructed into CloudFormation's long form ({@code {"Ref": ...}}, {@code {"Fn::Sub": ...}}),
 * so the result is exactly what the equivalent JSON template would give.
 */
public final class CloudFormationYaml {

    /** Short tag → long-form key, for the functions whose argument is written the same way in both forms. */
    private static final Map<String, String> FUNCTIONS = Map.ofEntries(
            Map.entry("!Sub", "Fn::Sub"),
            Map.entry("!If", "Fn::If"),
            Map.entry("!Equals", "Fn::Equals"),
            Map.entry("!Not", "Fn::Not"),
            Map.entry("!And", "Fn::And"),
            Map.entry("!Or", "Fn::Or"),
            Map.entry("!Join", "Fn::Join"),
            Map.entry("!Select", "Fn::Select"),
            Map.entry("!Split", "Fn::Split"),
            Map.entry("!FindInMap", "Fn::FindInMap"),
            Map.entry("!ImportValue", "Fn::ImportValue"),
            Map.entry("!Base64", "Fn::Base64"),
            Map.entry("!GetAZs", "Fn::GetAZs"),
            Map.entry("!Cidr", "Fn::Cidr"),
            Map.entry("!Transform", "Fn::Transform"),
            Map.entry("!Ref", "Ref"),
            Map.entry("!Condition", "Condition"));

    private CloudFormationYaml() {
    }

    public static Map<String, Object> read(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return asTemplate(yaml().load(reader), file.toString());
        } catch (IOException e) {
            throw new TemplateException("cannot read template " + file + ": " + e.getMessage(), e);
        }
    }

    public static Map<String, Object> parse(String text) {
        return asTemplate(yaml().load(text), "template text");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asTemplate(Object loaded, String source) {
        if (!(loaded instanceof Map)) {
            throw new TemplateException(source + " is not a YAML mapping");
        }
        return (Map<String, Object>) loaded;
    }

    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        return new Yaml(new IntrinsicConstructor(options));
    }

    private static final class IntrinsicConstructor extends SafeConstructor {

        IntrinsicConstructor(LoaderOptions options) {
            super(options);
            FUNCTIONS.forEach((tag, key) -> yamlConstructors.put(new Tag(tag), new LongForm(key)));
            yamlConstructors.put(new Tag("!GetAtt"), new GetAtt());
        }

        /** {@code !Tag argument} → {@code {"Key": argument}}, the argument constructed as ordinary YAML. */
        private final class LongForm extends AbstractConstruct {
            private final String key;

            LongForm(String key) {
                this.key = key;
            }

            @Override
            public Object construct(Node node) {
                return single(key, argument(node));
            }
        }

        /** {@code !GetAtt Resource.Attribute} (first dot splits) or {@code !GetAtt [Resource, Attribute]}. */
        private final class GetAtt extends AbstractConstruct {
            @Override
            public Object construct(Node node) {
                Object argument = argument(node);
                if (argument instanceof String dotted) {
                    int dot = dotted.indexOf('.');
                    if (dot <= 0 || dot == dotted.length() - 1) {
                        throw new TemplateException("!GetAtt needs Resource.Attribute, got '" + dotted + "'" + where(node));
                    }
                    return single("Fn::GetAtt", List.of(dotted.substring(0, dot), dotted.substring(dot + 1)));
                }
                return single("Fn::GetAtt", argument);
            }
        }

        private Object argument(Node node) {
            if (node instanceof ScalarNode scalar) {
                return constructScalar(scalar);
            }
            if (node instanceof SequenceNode sequence) {
                return new ArrayList<>(constructSequence(sequence));
            }
            if (node instanceof MappingNode mapping) {
                return new LinkedHashMap<>(constructMapping(mapping));
            }
            throw new TemplateException("unsupported YAML node for " + node.getTag() + where(node));
        }

        private static String where(Node node) {
            return node.getStartMark() == null ? "" : " at " + node.getStartMark().toString().strip();
        }
    }

    private static Map<String, Object> single(String key, Object value) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put(key, value);
        return map;
    }
}
