package com.rackflow.local.stack.template;

import com.rackflow.local.cloudformation.TemplateException;
import com.rackflow.local.cloudformation.CloudFormationYaml;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * What the SAM template deploys, as the local stack runs it: functions (Globals merged), REST APIs with their routes,
 * authorizers, CORS and gateway responses, tables and state machines. Everything the stack knows about the
 * application comes from here.
 */
public final class SamApplication {

    private static final String IMPLICIT_API = "ServerlessRestApi";

    private final Path templateFile;
    private final TemplateEvaluator evaluator;
    private final List<FunctionSpec> functions = new ArrayList<>();
    private final List<RestApiSpec> apis = new ArrayList<>();
    private final List<TableSpec> tables = new ArrayList<>();
    private final List<BucketSpec> buckets = new ArrayList<>();
    private final List<StateMachineSpec> stateMachines = new ArrayList<>();
    private final List<EventRuleSpec> eventRules = new ArrayList<>();
    private final DynamicReferences dynamicReferences;

    private SamApplication(Path templateFile, TemplateEvaluator evaluator) {
        this.templateFile = templateFile;
        this.evaluator = evaluator;
        Map<String, Object> resources = evaluator.resources();
        java.util.Set<String> secrets = new java.util.HashSet<>();
        for (String logicalId : resources.keySet()) {
            if (evaluator.resourceExists(logicalId) && evaluator.resourceType(logicalId).equals("AWS::SecretsManager::Secret")
                    && TemplateEvaluator.asMap(TemplateEvaluator.asMap(resources.get(logicalId), logicalId)
                    .getOrDefault("Properties", Map.of()), logicalId).containsKey("GenerateSecretString")) {
                secrets.add(logicalId);
            }
        }
        this.dynamicReferences = new DynamicReferences(secrets);
        for (String logicalId : resources.keySet()) {
            if (!evaluator.resourceExists(logicalId)) {
                continue;
            }
            switch (evaluator.resourceType(logicalId)) {
                case "AWS::Serverless::Function" -> {
                    functions.add(readFunction(logicalId));
                    eventRules.addAll(readEventRules(logicalId));
                }
                case "AWS::DynamoDB::Table" -> tables.add(table(logicalId));
                case "AWS::S3::Bucket" -> buckets.add(new BucketSpec(logicalId, evaluator.bucketName(logicalId), properties(logicalId)));
                case "AWS::Serverless::StateMachine" -> stateMachines.add(stateMachine(logicalId));
                default -> {
                }
            }
        }
        for (String logicalId : resources.keySet()) {
            if (evaluator.resourceExists(logicalId) && evaluator.resourceType(logicalId).equals("AWS::Serverless::Api")) {
                apis.add(readApi(logicalId));
            }
        }
        boolean implicitApiUsed = functions.stream().flatMap(f -> f.routes().stream())
                .anyMatch(r -> r.apiLogicalId().equals(IMPLICIT_API));
        if (implicitApiUsed) {
            apis.add(implicitApi());
        }
        for (FunctionSpec f : functions) {
            for (ApiRoute route : f.routes()) {
                if (api(route.apiLogicalId()) == null) {
                    throw new TemplateException(f.logicalId() + " event " + route.eventName() + ": RestApiId "
                            + route.apiLogicalId() + " is not an AWS::Serverless::Api of the template");
                }
            }
        }
    }

    public static SamApplication load(Path templateFile, Map<String, String> parameterOverrides) {
        return of(templateFile, CloudFormationYaml.read(templateFile), parameterOverrides);
    }

    /** @param template the file's content as {@link CloudFormationYaml#read} gives it */
    public static SamApplication of(Path templateFile, Map<String, Object> template, Map<String, String> parameterOverrides) {
        return new SamApplication(templateFile.toAbsolutePath(), new TemplateEvaluator(template, parameterOverrides));
    }

    public TemplateEvaluator evaluator() {
        return evaluator;
    }

    public List<FunctionSpec> functions() {
        return List.copyOf(functions);
    }

    public List<RestApiSpec> apis() {
        return List.copyOf(apis);
    }

    public List<TableSpec> tables() {
        return List.copyOf(tables);
    }

    /** The template's S3 buckets. */
    public List<BucketSpec> buckets() {
        return List.copyOf(buckets);
    }

    public List<StateMachineSpec> stateMachines() {
        return List.copyOf(stateMachines);
    }

    /** The EventBridge rules (event patterns and schedules) whose target is one of the functions. */
    public List<EventRuleSpec> eventRules() {
        return List.copyOf(eventRules);
    }

    public RestApiSpec api(String logicalId) {
        return apis.stream().filter(a -> a.logicalId().equals(logicalId)).findFirst().orElse(null);
    }

    public FunctionSpec function(String logicalId) {
        return functions.stream().filter(f -> f.logicalId().equals(logicalId)).findFirst()
                .orElseThrow(() -> new TemplateException("no function " + logicalId));
    }

    /** The function an ARN (plain, alias or version) names, as Lambda resolves it. */
    public FunctionSpec functionByArn(String arn) {
        String[] parts = arn.split(":");
        if (parts.length < 7 || !parts[2].equals("lambda") || !parts[5].equals("function")) {
            throw new TemplateException("not a Lambda function ARN: " + arn);
        }
        return functions.stream().filter(f -> f.functionName().equals(parts[6])).findFirst()
                .orElseThrow(() -> new TemplateException("no function of the template has the ARN " + arn));
    }

    private FunctionSpec readFunction(String logicalId) {
        Map<String, Object> properties = mergedFunctionProperties(logicalId);
        String handler = text(properties.get("Handler"));
        if (handler == null) {
            throw new TemplateException(logicalId + " has no Handler");
        }
        Map<String, String> environment = new TreeMap<>();
        Object env = properties.get("Environment");
        if (env instanceof Map<?, ?> envMap && envMap.get("Variables") instanceof Map<?, ?> variables) {
            variables.forEach((k, v) -> environment.put(String.valueOf(k), dynamicReferences.resolve(TemplateEvaluator.scalarText(v))));
        }
        List<ApiRoute> routes = new ArrayList<>();
        Map<String, Object> resource = TemplateEvaluator.asMap(evaluator.resources().get(logicalId), logicalId);
        Object events = TemplateEvaluator.asMap(resource.getOrDefault("Properties", Map.of()), logicalId).get("Events");
        if (events instanceof Map<?, ?> eventMap) {
            eventMap.forEach((name, event) -> {
                Map<String, Object> e = TemplateEvaluator.asMap(event, logicalId + ".Events." + name);
                if ("Api".equals(e.get("Type"))) {
                    routes.add(route(logicalId, String.valueOf(name),
                            TemplateEvaluator.asMap(e.getOrDefault("Properties", Map.of()), name + ".Properties")));
                }
            });
        }
        return new FunctionSpec(logicalId, evaluator.functionName(logicalId), evaluator.functionArn(logicalId),
                text(properties.get("AutoPublishAlias")), handler, intOf(properties.get("Timeout"), 3),
                intOf(properties.get("MemorySize"), 128), Map.copyOf(environment), List.copyOf(routes),
                codeUri(properties.get("CodeUri")), snapStart(properties.get("SnapStart")), logging(properties.get("LoggingConfig")));
    }

    private Path codeUri(Object codeUri) {
        Path folder = templateFile.getParent();
        String uri = text(codeUri);
        return uri == null ? folder : folder.resolve(uri).normalize();
    }

    private static boolean snapStart(Object snapStart) {
        return snapStart instanceof Map<?, ?> s && "PublishedVersions".equals(text(s.get("ApplyOn")));
    }

    private static FunctionSpec.Logging logging(Object config) {
        if (!(config instanceof Map<?, ?> c)) {
            return FunctionSpec.Logging.TEXT;
        }
        String format = text(c.get("LogFormat"));
        boolean json = "JSON".equalsIgnoreCase(format);
        return new FunctionSpec.Logging(json ? "JSON" : "Text",
                json ? Optional.ofNullable(text(c.get("ApplicationLogLevel"))).orElse("INFO") : null,
                json ? Optional.ofNullable(text(c.get("SystemLogLevel"))).orElse("INFO") : null);
    }

    private List<EventRuleSpec> readEventRules(String logicalId) {
        List<EventRuleSpec> rules = new ArrayList<>();
        Map<String, Object> resource = TemplateEvaluator.asMap(evaluator.resources().get(logicalId), logicalId);
        Object events = TemplateEvaluator.asMap(resource.getOrDefault("Properties", Map.of()), logicalId).get("Events");
        if (!(events instanceof Map<?, ?> eventMap)) {
            return rules;
        }
        eventMap.forEach((name, event) -> {
            String where = logicalId + ".Events." + name;
            Map<String, Object> e = TemplateEvaluator.asMap(event, where);
            String type = String.valueOf(e.get("Type"));
            if (!Set.of("EventBridgeRule", "CloudWatchEvent", "Schedule", "ScheduleV2").contains(type)) {
                return;
            }
            Map<String, Object> p = TemplateEvaluator.asMap(evaluator.evaluate(e.getOrDefault("Properties", Map.of())), where);
            boolean enabled = true;
            if (p.get("Enabled") != null) {
                enabled = Boolean.parseBoolean(String.valueOf(p.get("Enabled")));
            } else if (p.get("State") != null) {
                enabled = "ENABLED".equals(String.valueOf(p.get("State")));
            }
            String input = text(p.get("Input"));
            if (type.startsWith("Schedule")) {
                String expression = text(p.get("Schedule") != null ? p.get("Schedule") : p.get("ScheduleExpression"));
                if (expression == null) {
                    throw new TemplateException(where + " needs Schedule (a rate or cron expression)");
                }
                rules.add(new EventRuleSpec(logicalId, String.valueOf(name), null, expression, input, enabled));
            } else {
                if (!(p.get("Pattern") instanceof Map<?, ?> pattern)) {
                    throw new TemplateException(where + " needs Pattern (an event pattern)");
                }
                rules.add(new EventRuleSpec(logicalId, String.valueOf(name), TemplateEvaluator.asMap(pattern, where + ".Pattern"),
                        null, input, enabled));
            }
        });
        return rules;
    }

    /** Properties with {@code Globals.Function} merged in as SAM does, then evaluated. */
    private Map<String, Object> mergedFunctionProperties(String logicalId) {
        Map<String, Object> resource = TemplateEvaluator.asMap(evaluator.resources().get(logicalId), logicalId);
        Object own = resource.getOrDefault("Properties", Map.of());
        Object globals = evaluator.section("Globals").getOrDefault("Function", Map.of());
        Object merged = mergeGlobals(globals, own);
        return TemplateEvaluator.asMap(evaluator.evaluate(merged), logicalId + ".Properties");
    }

    /** SAM's Globals rules: maps merge (the resource wins per key), lists append, anything else the resource replaces. */
    @SuppressWarnings("unchecked")
    static Object mergeGlobals(Object global, Object local) {
        if (global instanceof Map<?, ?> g && local instanceof Map<?, ?> l && !isIntrinsic(g) && !isIntrinsic(l)) {
            Map<String, Object> result = new LinkedHashMap<>((Map<String, Object>) g);
            ((Map<String, Object>) l).forEach((k, v) -> result.merge(k, v, SamApplication::mergeGlobals));
            return result;
        }
        if (global instanceof List<?> g && local instanceof List<?> l) {
            List<Object> result = new ArrayList<>(g);
            result.addAll(l);
            return result;
        }
        return local;
    }

    private static boolean isIntrinsic(Map<?, ?> map) {
        if (map.size() != 1) {
            return false;
        }
        String key = String.valueOf(map.keySet().iterator().next());
        return key.equals("Ref") || key.equals("Condition") || key.startsWith("Fn::");
    }

    private ApiRoute route(String functionId, String eventName, Map<String, Object> properties) {
        String apiId = IMPLICIT_API;
        Object restApiId = properties.get("RestApiId");
        if (restApiId instanceof Map<?, ?> ref && ref.get("Ref") != null) {
            apiId = String.valueOf(ref.get("Ref"));
        } else if (restApiId != null) {
            apiId = String.valueOf(restApiId);
        }
        Map<String, Object> evaluated = TemplateEvaluator.asMap(evaluator.evaluate(properties), eventName);
        String path = text(evaluated.get("Path"));
        String method = text(evaluated.get("Method"));
        if (path == null || method == null) {
            throw new TemplateException(functionId + " event " + eventName + " needs Path and Method");
        }
        String authorizer = null;
        if (evaluated.get("Auth") instanceof Map<?, ?> auth && auth.get("Authorizer") != null) {
            authorizer = String.valueOf(auth.get("Authorizer"));
        }
        return new ApiRoute(functionId, eventName, apiId, path, method.toUpperCase(Locale.ROOT), authorizer);
    }

    private RestApiSpec readApi(String logicalId) {
        Map<String, Object> resource = TemplateEvaluator.asMap(evaluator.resources().get(logicalId), logicalId);
        Object own = resource.getOrDefault("Properties", Map.of());
        Object globals = evaluator.section("Globals").getOrDefault("Api", Map.of());
        Map<String, Object> p = TemplateEvaluator.asMap(evaluator.evaluate(mergeGlobals(globals, own)), logicalId);
        String stage = text(p.get("StageName"));
        if (stage == null) {
            throw new TemplateException(logicalId + " has no StageName");
        }
        Map<String, TokenAuthorizerSpec> authorizers = new LinkedHashMap<>();
        String defaultAuthorizer = null;
        boolean authorizePreflight = true;
        if (p.get("Auth") instanceof Map<?, ?> auth) {
            defaultAuthorizer = text(auth.get("DefaultAuthorizer"));
            if (auth.get("AddDefaultAuthorizerToCorsPreflight") != null) {
                authorizePreflight = Boolean.parseBoolean(String.valueOf(auth.get("AddDefaultAuthorizerToCorsPreflight")));
            }
            if (auth.get("Authorizers") instanceof Map<?, ?> declared) {
                declared.forEach((name, spec) -> authorizers.put(String.valueOf(name),
                        authorizer(logicalId, String.valueOf(name), TemplateEvaluator.asMap(spec, String.valueOf(name)))));
            }
            if (defaultAuthorizer != null && !defaultAuthorizer.equals("NONE") && !authorizers.containsKey(defaultAuthorizer)) {
                throw new TemplateException(logicalId + ": DefaultAuthorizer " + defaultAuthorizer + " is not one of its Authorizers");
            }
        }
        Map<String, RestApiSpec.GatewayResponseSpec> responses = new LinkedHashMap<>();
        if (p.get("GatewayResponses") instanceof Map<?, ?> declared) {
            declared.forEach((type, spec) -> responses.put(String.valueOf(type),
                    gatewayResponse(TemplateEvaluator.asMap(spec, String.valueOf(type)))));
        }
        return new RestApiSpec(logicalId, stage, cors(p.get("Cors")), Map.copyOf(authorizers), defaultAuthorizer,
                authorizePreflight, Map.copyOf(responses), throttle(logicalId, p.get("MethodSettings")));
    }

    private RestApiSpec implicitApi() {
        Object globals = evaluator.section("Globals").getOrDefault("Api", Map.of());
        Map<String, Object> p = TemplateEvaluator.asMap(evaluator.evaluate(globals), "Globals.Api");
        return new RestApiSpec(IMPLICIT_API, "Prod", cors(p.get("Cors")), Map.of(), null, false, Map.of(), null);
    }

    /** The stage-wide throttle of {@code MethodSettings} ({@code ResourcePath: /*}, {@code HttpMethod: *}). */
    private static RestApiSpec.Throttle throttle(String apiId, Object methodSettings) {
        if (!(methodSettings instanceof List<?> settings)) {
            return null;
        }
        for (Object setting : settings) {
            Map<String, Object> m = TemplateEvaluator.asMap(setting, apiId + ".MethodSettings");
            if (m.get("ThrottlingRateLimit") == null && m.get("ThrottlingBurstLimit") == null) {
                continue;
            }
            if (!"/*".equals(text(m.get("ResourcePath"))) || !"*".equals(text(m.get("HttpMethod")))) {
                throw new TemplateException(apiId + ": the local gateway throttles by the MethodSettings of ResourcePath /* "
                        + "and HttpMethod * only, not " + m.get("ResourcePath") + " " + m.get("HttpMethod"));
            }
            if (m.get("ThrottlingRateLimit") == null || m.get("ThrottlingBurstLimit") == null) {
                throw new TemplateException(apiId + ": set ThrottlingRateLimit and ThrottlingBurstLimit together");
            }
            return new RestApiSpec.Throttle(Double.parseDouble(String.valueOf(m.get("ThrottlingRateLimit"))),
                    Integer.parseInt(String.valueOf(m.get("ThrottlingBurstLimit"))));
        }
        return null;
    }

    private TokenAuthorizerSpec authorizer(String apiId, String name, Map<String, Object> spec) {
        String where = apiId + " authorizer " + name;
        String payloadType = Objects.requireNonNullElse(text(spec.get("FunctionPayloadType")), "TOKEN");
        if (!payloadType.equals("TOKEN")) {
            throw new TemplateException(where + ": FunctionPayloadType " + payloadType
                    + " is not supported by the local stack (TOKEN only)");
        }
        String functionArn = text(spec.get("FunctionArn"));
        if (functionArn == null) {
            throw new TemplateException(where + " has no FunctionArn (Cognito authorizers are not supported locally)");
        }
        String header = "Authorization";
        Pattern validation = null;
        Duration ttl = Duration.ofSeconds(300);
        if (spec.get("Identity") instanceof Map<?, ?> identity) {
            header = Objects.requireNonNullElse(text(identity.get("Header")), header);
            String expression = text(identity.get("ValidationExpression"));
            if (expression != null) {
                try {
                    validation = Pattern.compile(expression);
                } catch (PatternSyntaxException e) {
                    throw new TemplateException(where + ": ValidationExpression is not a valid regular expression: " + e.getMessage());
                }
            }
            if (identity.get("ReauthorizeEvery") != null) {
                ttl = Duration.ofSeconds(intOf(identity.get("ReauthorizeEvery"), 300));
            }
        }
        return new TokenAuthorizerSpec(name, functionArn, header, validation, ttl);
    }

    private static RestApiSpec.CorsSettings cors(Object cors) {
        if (cors == null) {
            return null;
        }
        if (cors instanceof String origin) {
            return new RestApiSpec.CorsSettings(origin, null, null, null, false);
        }
        Map<?, ?> c = (Map<?, ?>) cors;
        return new RestApiSpec.CorsSettings(text(c.get("AllowOrigin")), text(c.get("AllowHeaders")),
                text(c.get("AllowMethods")), text(c.get("MaxAge")),
                Boolean.parseBoolean(String.valueOf(c.get("AllowCredentials"))));
    }

    private static RestApiSpec.GatewayResponseSpec gatewayResponse(Map<String, Object> spec) {
        Integer status = spec.get("StatusCode") == null ? null : intOf(spec.get("StatusCode"), 0);
        Map<String, String> headers = new LinkedHashMap<>();
        if (spec.get("ResponseParameters") instanceof Map<?, ?> parameters
                && parameters.get("Headers") instanceof Map<?, ?> declared) {
            declared.forEach((k, v) -> headers.put(String.valueOf(k), String.valueOf(v)));
        }
        Map<String, String> templates = new LinkedHashMap<>();
        if (spec.get("ResponseTemplates") instanceof Map<?, ?> declared) {
            declared.forEach((k, v) -> templates.put(String.valueOf(k), String.valueOf(v)));
        }
        return new RestApiSpec.GatewayResponseSpec(status, Map.copyOf(headers), Map.copyOf(templates));
    }

    private Map<String, Object> properties(String logicalId) {
        Map<String, Object> resource = TemplateEvaluator.asMap(evaluator.resources().get(logicalId), logicalId);
        return TemplateEvaluator.asMap(evaluator.evaluate(resource.getOrDefault("Properties", Map.of())), logicalId);
    }

    private TableSpec table(String logicalId) {
        Map<String, Object> resource = TemplateEvaluator.asMap(evaluator.resources().get(logicalId), logicalId);
        Map<String, Object> properties = TemplateEvaluator.asMap(
                evaluator.evaluate(resource.getOrDefault("Properties", Map.of())), logicalId);
        return new TableSpec(logicalId, evaluator.tableName(logicalId), properties);
    }

    private StateMachineSpec stateMachine(String logicalId) {
        Object substitutionNode = evaluator.property(logicalId, "DefinitionSubstitutions");
        Map<String, String> substitutions = new TreeMap<>();
        if (substitutionNode instanceof Map<?, ?> map) {
            map.forEach((k, v) -> substitutions.put(String.valueOf(k), TemplateEvaluator.scalarText(v)));
        }
        Object uri = evaluator.property(logicalId, "DefinitionUri");
        Object inline = evaluator.property(logicalId, "Definition");
        String definition;
        if (uri instanceof String relative) {
            Path file = templateFile.getParent().resolve(relative);
            try {
                definition = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new TemplateException(logicalId + ": cannot read DefinitionUri " + file + ": " + e.getMessage(), e);
            }
            definition = substitute(definition, substitutions);
            if (!definition.stripLeading().startsWith("{")) {
                definition = toJson(new Yaml(new SafeConstructor(new LoaderOptions())).load(definition), logicalId);
            }
        } else if (inline != null) {
            definition = substitute(toJson(inline, logicalId), substitutions);
        } else {
            throw new TemplateException(logicalId + " needs DefinitionUri (a file path) or Definition");
        }
        Object type = evaluator.property(logicalId, "Type");
        return new StateMachineSpec(logicalId, evaluator.stateMachineName(logicalId), evaluator.stateMachineArn(logicalId),
                type == null ? "STANDARD" : TemplateEvaluator.scalarText(type), definition, Map.copyOf(substitutions));
    }

    private static String substitute(String definition, Map<String, String> substitutions) {
        String result = definition;
        for (Map.Entry<String, String> s : substitutions.entrySet()) {
            result = result.replace("${" + s.getKey() + "}", s.getValue());
        }
        return result;
    }

    private static String toJson(Object tree, String logicalId) {
        try {
            return new ObjectMapper().writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new TemplateException(logicalId + ": definition is not JSON-serialisable: " + e.getMessage(), e);
        }
    }

    private static String text(Object value) {
        return value == null ? null : TemplateEvaluator.scalarText(value);
    }

    private static int intOf(Object value, int absent) {
        if (value == null) {
            return absent;
        }
        try {
            return (int) Double.parseDouble(TemplateEvaluator.scalarText(value));
        } catch (NumberFormatException e) {
            throw new TemplateException("expected a number, got " + value);
        }
    }
}
