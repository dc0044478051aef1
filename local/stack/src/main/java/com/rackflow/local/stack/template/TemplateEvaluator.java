package com.rackflow.local.stack.template;

import com.rackflow.local.cloudformation.TemplateException;
import com.rackflow.local.cloudformation.CloudFormationYaml;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Evaluates CloudFormation intrinsic functions (long form, as {@link CloudFormationYaml} gives them) the way a
 * deployment of the template into the local account would: parameters (defaults, then overrides as with
 * {@code sam deploy --parameter-overrides}), pseudo parameters, conditions, and references to resources.
 */
public final class TemplateEvaluator {

    public static final String REGION = "us-east-1";
    public static final String ACCOUNT_ID = "123456789012";
    public static final String STACK_NAME = "rackflow-local";
    public static final String PARTITION = "aws";
    public static final String URL_SUFFIX = "amazonaws.com";
    /**
     * The domain a CloudFront distribution gets locally: {@code <logical id, lower case>.cloudfront.local}. The stack
     * serves the distribution's content (the console) on its own origin and stands that origin in for it where the
     * template names the distribution's domain (the files bucket's CORS rule).
     */
    public static final String CLOUDFRONT_LOCAL_SUFFIX = ".cloudfront.local";
    /** The id every local REST API gets; it appears in method ARNs and in {@code !Ref Api}. */
    public static final String API_ID = "local";

    /** Result of {@code !Ref AWS::NoValue}: the enclosing property or list element disappears. */
    private static final Object NO_VALUE = new Object() {
        @Override
        public String toString() {
            return "AWS::NoValue";
        }
    };

    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}]*)}");

    private final Map<String, Object> template;
    private final Map<String, Object> parameterValues = new LinkedHashMap<>();
    private final Map<String, Boolean> conditionValues = new HashMap<>();

    public TemplateEvaluator(Map<String, Object> template, Map<String, String> parameterOverrides) {
        this.template = template;
        Map<String, Object> declared = section("Parameters");
        for (String name : parameterOverrides.keySet()) {
            if (!declared.containsKey(name)) {
                throw new TemplateException("parameter override " + name + " is not a parameter of the template");
            }
        }
        declared.forEach((name, declaration) -> parameterValues.put(name,
                parameterValue(name, asMap(declaration, "Parameters." + name), parameterOverrides.get(name))));
    }

    public Map<String, Object> template() {
        return template;
    }

    /** The template's resources, raw (unevaluated), in declaration order. */
    public Map<String, Object> resources() {
        return section("Resources");
    }

    public Map<String, Object> section(String name) {
        Object value = template.get(name);
        return value == null ? Map.of() : asMap(value, name);
    }

    public Object parameter(String name) {
        if (!parameterValues.containsKey(name)) {
            throw new TemplateException("no parameter " + name);
        }
        return parameterValues.get(name);
    }

    /** Whether the resource is created: it exists and its {@code Condition} (if any) holds. */
    public boolean resourceExists(String logicalId) {
        Object resource = resources().get(logicalId);
        if (resource == null) {
            return false;
        }
        Object condition = asMap(resource, logicalId).get("Condition");
        return condition == null || condition(String.valueOf(condition));
    }

    public String resourceType(String logicalId) {
        Object resource = resources().get(logicalId);
        if (resource == null) {
            throw new TemplateException("no resource " + logicalId);
        }
        return String.valueOf(asMap(resource, logicalId).get("Type"));
    }

    /** A resource's property, evaluated; null when absent. */
    public Object property(String logicalId, String property) {
        Map<String, Object> resource = asMap(resources().get(logicalId), logicalId);
        Object properties = resource.get("Properties");
        if (properties == null) {
            return null;
        }
        Object value = asMap(properties, logicalId + ".Properties").get(property);
        return value == null ? null : evaluate(value);
    }

    public boolean condition(String name) {
        Boolean known = conditionValues.get(name);
        if (known != null) {
            return known;
        }
        Object definition = section("Conditions").get(name);
        if (definition == null) {
            throw new TemplateException("no condition " + name);
        }
        conditionValues.put(name, Boolean.FALSE); // a condition that refers to itself evaluates false, not forever
        boolean value = asBoolean(evaluate(definition), "condition " + name);
        conditionValues.put(name, value);
        return value;
    }

    /** Evaluates every intrinsic function in the tree; {@code AWS::NoValue} entries are removed. */
    public Object evaluate(Object node) {
        Object value = evaluateOrNoValue(node);
        return value == NO_VALUE ? null : value;
    }

    private Object evaluateOrNoValue(Object node) {
        if (node instanceof Map<?, ?> map) {
            if (map.size() == 1) {
                String key = String.valueOf(map.keySet().iterator().next());
                if (key.equals("Ref") || key.equals("Condition") || key.startsWith("Fn::")) {
                    return function(key, map.values().iterator().next());
                }
            }
            Map<String, Object> result = new LinkedHashMap<>();
            map.forEach((k, v) -> {
                Object value = evaluateOrNoValue(v);
                if (value != NO_VALUE) {
                    result.put(String.valueOf(k), value);
                }
            });
            return result;
        }
        if (node instanceof List<?> list) {
            List<Object> result = new ArrayList<>();
            for (Object element : list) {
                Object value = evaluateOrNoValue(element);
                if (value != NO_VALUE) {
                    result.add(value);
                }
            }
            return result;
        }
        return node;
    }

    private Object function(String name, Object argument) {
        return switch (name) {
            case "Ref" -> ref(asString(evaluate(argument), "Ref"));
            case "Condition" -> condition(asString(argument, "Condition"));
            case "Fn::GetAtt" -> getAtt(argument);
            case "Fn::Sub" -> sub(argument);
            case "Fn::If" -> ifFunction(argument);
            case "Fn::Equals" -> {
                List<?> operands = arguments(argument, name, 2);
                yield scalarText(evaluate(operands.get(0))).equals(scalarText(evaluate(operands.get(1))));
            }
            case "Fn::Not" -> !asBoolean(evaluate(arguments(argument, name, 1).get(0)), name);
            case "Fn::And" -> arguments(argument, name, -1).stream().allMatch(c -> asBoolean(evaluate(c), name));
            case "Fn::Or" -> arguments(argument, name, -1).stream().anyMatch(c -> asBoolean(evaluate(c), name));
            case "Fn::Join" -> join(argument);
            case "Fn::Select" -> select(argument);
            case "Fn::Split" -> {
                List<?> operands = arguments(argument, name, 2);
                String delimiter = asString(evaluate(operands.get(0)), name);
                String source = asString(evaluate(operands.get(1)), name);
                yield new ArrayList<>(List.of(source.split(Pattern.quote(delimiter), -1)));
            }
            case "Fn::FindInMap" -> findInMap(argument);
            case "Fn::Base64" -> Base64.getEncoder().encodeToString(
                    asString(evaluate(argument), name).getBytes(StandardCharsets.UTF_8));
            case "Fn::GetAZs" -> new ArrayList<>(List.of(REGION + "a", REGION + "b", REGION + "c"));
            case "Fn::ImportValue" -> throw new TemplateException(
                    "Fn::ImportValue " + evaluate(argument) + " refers to another stack, which the local stack does not have");
            default -> throw new TemplateException(name + " is not supported by the local stack");
        };
    }

    private Object ref(String name) {
        switch (name) {
            case "AWS::Region":
                return REGION;
            case "AWS::AccountId":
                return ACCOUNT_ID;
            case "AWS::StackName":
                return STACK_NAME;
            case "AWS::StackId":
                return "arn:aws:cloudformation:" + REGION + ":" + ACCOUNT_ID + ":stack/" + STACK_NAME + "/local";
            case "AWS::Partition":
                return PARTITION;
            case "AWS::URLSuffix":
                return URL_SUFFIX;
            case "AWS::NotificationARNs":
                return new ArrayList<>();
            case "AWS::NoValue":
                return NO_VALUE;
            default:
                break;
        }
        if (parameterValues.containsKey(name)) {
            return parameterValues.get(name);
        }
        int dot = name.indexOf('.');
        if (dot > 0) {
            return samGeneratedRef(name.substring(0, dot), name.substring(dot + 1));
        }
        requireCreated(name, "Ref");
        String type = resourceType(name);
        return switch (type) {
            case "AWS::DynamoDB::Table" -> tableName(name);
            case "AWS::S3::Bucket" -> bucketName(name);
            case "AWS::Serverless::Function", "AWS::Lambda::Function" -> functionName(name);
            case "AWS::Serverless::Api", "AWS::ApiGateway::RestApi" -> API_ID;
            case "AWS::Serverless::StateMachine", "AWS::StepFunctions::StateMachine" -> stateMachineArn(name);
            case "AWS::SNS::Topic" -> "arn:aws:sns:" + REGION + ":" + ACCOUNT_ID + ":" + name;
            case "AWS::SQS::Queue" -> "https://sqs." + REGION + "." + URL_SUFFIX + "/" + ACCOUNT_ID + "/" + name;
            default -> name;
        };
    }

    /** SAM's generated resources: {@code Function.Alias}, {@code Function.Version}. */
    private Object samGeneratedRef(String logicalId, String generated) {
        requireCreated(logicalId, "Ref " + logicalId + "." + generated);
        if (!resourceType(logicalId).equals("AWS::Serverless::Function")) {
            throw new TemplateException("Ref " + logicalId + "." + generated + ": only a SAM function has ." + generated);
        }
        return switch (generated) {
            case "Alias" -> {
                Object alias = property(logicalId, "AutoPublishAlias");
                if (alias == null) {
                    alias = globalFunctionProperty("AutoPublishAlias");
                }
                if (alias == null) {
                    throw new TemplateException("Ref " + logicalId + ".Alias: the function has no AutoPublishAlias");
                }
                yield functionArn(logicalId) + ":" + alias;
            }
            case "Version" -> functionArn(logicalId) + ":1";
            default -> throw new TemplateException("Ref " + logicalId + "." + generated + " is not a SAM generated resource");
        };
    }

    private Object getAtt(Object argument) {
        List<?> parts = arguments(argument, "Fn::GetAtt", 2);
        String logicalId = asString(evaluate(parts.get(0)), "Fn::GetAtt");
        String attribute = asString(evaluate(parts.get(1)), "Fn::GetAtt");
        requireCreated(logicalId, "Fn::GetAtt");
        String type = resourceType(logicalId);
        String key = type + "." + attribute;
        return switch (key) {
            case "AWS::Serverless::Function.Arn", "AWS::Lambda::Function.Arn" -> functionArn(logicalId);
            case "AWS::DynamoDB::Table.Arn" -> tableArn(logicalId);
            case "AWS::S3::Bucket.Arn" -> "arn:" + PARTITION + ":s3:::" + bucketName(logicalId);
            case "AWS::S3::Bucket.DomainName" -> bucketName(logicalId) + ".s3." + URL_SUFFIX;
            case "AWS::S3::Bucket.RegionalDomainName" -> bucketName(logicalId) + ".s3." + REGION + "." + URL_SUFFIX;
            case "AWS::CloudFront::Distribution.DomainName" -> logicalId.toLowerCase(java.util.Locale.ROOT) + CLOUDFRONT_LOCAL_SUFFIX;
            case "AWS::DynamoDB::Table.StreamArn" -> tableArn(logicalId) + "/stream/local";
            case "AWS::Serverless::StateMachine.Arn", "AWS::StepFunctions::StateMachine.Arn" -> stateMachineArn(logicalId);
            case "AWS::Serverless::StateMachine.Name", "AWS::StepFunctions::StateMachine.Name" -> stateMachineName(logicalId);
            case "AWS::Serverless::Api.RootResourceId", "AWS::ApiGateway::RestApi.RootResourceId" -> "root";
            case "AWS::Logs::LogGroup.Arn" -> "arn:" + PARTITION + ":logs:" + REGION + ":" + ACCOUNT_ID + ":log-group:"
                    + (property(logicalId, "LogGroupName") instanceof String name ? name : logicalId) + ":*";
            default -> throw new TemplateException("Fn::GetAtt " + logicalId + "." + attribute + " (" + type
                    + ") is not supported by the local stack");
        };
    }

    private Object sub(Object argument) {
        String text;
        Map<String, Object> variables = Map.of();
        if (argument instanceof List<?> list) {
            if (list.size() != 2) {
                throw new TemplateException("Fn::Sub list form needs [text, {variables}]");
            }
            text = asString(list.get(0), "Fn::Sub");
            variables = asMap(evaluate(list.get(1)), "Fn::Sub variables");
        } else {
            text = asString(argument, "Fn::Sub");
        }
        Matcher m = SUB_VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String expression = m.group(1);
            String replacement;
            if (expression.startsWith("!")) {
                replacement = "${" + expression.substring(1) + "}";
            } else if (variables.containsKey(expression)) {
                replacement = scalarText(variables.get(expression));
            } else if (!parameterValues.containsKey(expression) && !expression.startsWith("AWS::")
                    && expression.contains(".") && !resources().containsKey(expression)) {
                int dot = expression.indexOf('.');
                String logicalId = expression.substring(0, dot);
                String attribute = expression.substring(dot + 1);
                replacement = scalarText(attribute.equals("Alias") || attribute.equals("Version")
                        ? samGeneratedRef(logicalId, attribute)
                        : getAtt(List.of(logicalId, attribute)));
            } else {
                replacement = scalarText(ref(expression.strip()));
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private Object ifFunction(Object argument) {
        List<?> operands = arguments(argument, "Fn::If", 3);
        String condition = asString(operands.get(0), "Fn::If");
        return evaluateOrNoValue(condition(condition) ? operands.get(1) : operands.get(2));
    }

    private Object join(Object argument) {
        List<?> operands = arguments(argument, "Fn::Join", 2);
        String delimiter = asString(evaluate(operands.get(0)), "Fn::Join");
        List<String> parts = new ArrayList<>();
        for (Object part : asList(evaluate(operands.get(1)), "Fn::Join")) {
            parts.add(scalarText(part));
        }
        return String.join(delimiter, parts);
    }

    private Object select(Object argument) {
        List<?> operands = arguments(argument, "Fn::Select", 2);
        int index = Integer.parseInt(scalarText(evaluate(operands.get(0))));
        List<?> list = asList(evaluate(operands.get(1)), "Fn::Select");
        if (index < 0 || index >= list.size()) {
            throw new TemplateException("Fn::Select index " + index + " outside a list of " + list.size());
        }
        return list.get(index);
    }

    private Object findInMap(Object argument) {
        List<?> operands = arguments(argument, "Fn::FindInMap", 3);
        String mapName = asString(evaluate(operands.get(0)), "Fn::FindInMap");
        String top = scalarText(evaluate(operands.get(1)));
        String second = scalarText(evaluate(operands.get(2)));
        Object mapping = section("Mappings").get(mapName);
        if (mapping == null) {
            throw new TemplateException("Fn::FindInMap: no mapping " + mapName);
        }
        Object level = asMap(mapping, mapName).get(top);
        if (level == null) {
            throw new TemplateException("Fn::FindInMap: mapping " + mapName + " has no key " + top);
        }
        Object value = asMap(level, mapName + "." + top).get(second);
        if (value == null) {
            throw new TemplateException("Fn::FindInMap: mapping " + mapName + "." + top + " has no key " + second);
        }
        return evaluate(value);
    }

    public String tableName(String logicalId) {
        Object name = property(logicalId, "TableName");
        return name == null ? logicalId : String.valueOf(name);
    }

    /** A bucket's name: its BucketName, else as CloudFormation makes one (stack name, logical id, a suffix; lower case). */
    public String bucketName(String logicalId) {
        Object name = property(logicalId, "BucketName");
        return name == null ? (STACK_NAME + "-" + logicalId + "-local").toLowerCase(java.util.Locale.ROOT) : String.valueOf(name);
    }

    public String tableArn(String logicalId) {
        return "arn:aws:dynamodb:" + REGION + ":" + ACCOUNT_ID + ":table/" + tableName(logicalId);
    }

    public String functionName(String logicalId) {
        Object name = property(logicalId, "FunctionName");
        return name == null ? logicalId : String.valueOf(name);
    }

    public String functionArn(String logicalId) {
        return "arn:aws:lambda:" + REGION + ":" + ACCOUNT_ID + ":function:" + functionName(logicalId);
    }

    public String stateMachineName(String logicalId) {
        Object name = property(logicalId, "Name");
        if (name == null) {
            name = property(logicalId, "StateMachineName");
        }
        return name == null ? logicalId : String.valueOf(name);
    }

    public String stateMachineArn(String logicalId) {
        return "arn:aws:states:" + REGION + ":" + ACCOUNT_ID + ":stateMachine:" + stateMachineName(logicalId);
    }

    /** {@code Globals.Function.<property>}, evaluated; null when absent. */
    public Object globalFunctionProperty(String property) {
        Object function = section("Globals").get("Function");
        if (function == null) {
            return null;
        }
        Object value = asMap(function, "Globals.Function").get(property);
        return value == null ? null : evaluate(value);
    }

    private void requireCreated(String logicalId, String use) {
        if (!resources().containsKey(logicalId)) {
            throw new TemplateException(use + ": no parameter or resource named " + logicalId);
        }
        if (!resourceExists(logicalId)) {
            throw new TemplateException(use + " " + logicalId + ": the resource is not created because its condition "
                    + asMap(resources().get(logicalId), logicalId).get("Condition") + " is false");
        }
    }

    private Object parameterValue(String name, Map<String, Object> declaration, String override) {
        Object raw = override != null ? override : declaration.get("Default");
        if (raw == null) {
            throw new TemplateException("parameter " + name + " has no default and no override");
        }
        String text = scalarText(raw);
        Object allowed = declaration.get("AllowedValues");
        if (allowed instanceof List<?> values && values.stream().map(TemplateEvaluator::scalarText).noneMatch(text::equals)) {
            throw new TemplateException("parameter " + name + " = '" + text + "' is not one of " + values);
        }
        String type = String.valueOf(declaration.getOrDefault("Type", "String"));
        if (type.equals("CommaDelimitedList") || type.startsWith("List<")) {
            List<String> items = new ArrayList<>();
            for (String item : text.split(",", -1)) {
                items.add(item.strip());
            }
            return items;
        }
        if (type.equals("Number")) {
            try {
                Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw new TemplateException("parameter " + name + " is a Number but is '" + text + "'");
            }
        }
        return text;
    }

    private static final Set<Class<?>> SCALARS = Set.of(String.class, Integer.class, Long.class, Double.class,
            Boolean.class, java.math.BigInteger.class, java.math.BigDecimal.class, Float.class);

    /** A scalar as CloudFormation compares and substitutes it: its text ({@code 300}, {@code true}). */
    public static String scalarText(Object value) {
        if (value == null || !SCALARS.contains(value.getClass())) {
            throw new TemplateException("expected a string or number, got " + value);
        }
        return String.valueOf(value);
    }

    private static List<?> arguments(Object argument, String function, int count) {
        List<?> list = asList(argument, function);
        if (count >= 0 && list.size() != count) {
            throw new TemplateException(function + " takes " + count + " arguments, got " + list.size() + ": " + list);
        }
        return list;
    }

    private static boolean asBoolean(Object value, String what) {
        if (value instanceof Boolean b) {
            return b;
        }
        if ("true".equals(value) || "false".equals(value)) {
            return Boolean.parseBoolean((String) value);
        }
        throw new TemplateException(what + " must be a condition (true/false), got " + value);
    }

    private static String asString(Object value, String what) {
        if (value instanceof String s) {
            return s;
        }
        throw new TemplateException(what + " expects a string, got " + value);
    }

    private static List<?> asList(Object value, String what) {
        if (value instanceof List<?> list) {
            return list;
        }
        throw new TemplateException(what + " expects a list, got " + value);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object value, String what) {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new TemplateException(what + " must be a mapping, got " + value);
    }
}
