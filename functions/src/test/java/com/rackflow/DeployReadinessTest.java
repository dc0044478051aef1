package com.rackflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.rackflow.core.json.Json;
import com.rackflow.local.cloudformation.CloudFormationYaml;
import com.rackflow.testing.CodeCalls;
import com.rackflow.testing.LocalTable;

/**
 * What would make a deploy to AWS fail, checked here without AWS: a Handler that does not resolve, a variable a
 * function reads that the template does not set, an AWS operation the code calls that the function's policies do not
 * allow (derived from the compiled code's SDK calls), a state machine invoking a function its role may not, a template
 * parameter the README's deploy section does not explain.
 */
class DeployReadinessTest {

    private static final Path ROOT = LocalTable.repositoryRoot();
    /** One analysis of the compiled code for the class's tests. */
    private static final CodeCalls CODE = new CodeCalls();
    private static final Map<String, Object> TEMPLATE = CloudFormationYaml.read(ROOT.resolve("template.yaml"));

    /** The SAM policy templates the template uses, as SAM expands them (actions only). */
    private static final Map<String, Set<String>> POLICY_TEMPLATES = Map.of(
            "DynamoDBCrudPolicy", Set.of("dynamodb:GetItem", "dynamodb:DeleteItem", "dynamodb:PutItem", "dynamodb:Scan",
                    "dynamodb:Query", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem", "dynamodb:BatchGetItem",
                    "dynamodb:DescribeTable", "dynamodb:ConditionCheckItem"),
            "DynamoDBReadPolicy", Set.of("dynamodb:GetItem", "dynamodb:Scan", "dynamodb:Query", "dynamodb:BatchGetItem",
                    "dynamodb:DescribeTable"),
            "StepFunctionsExecutionPolicy", Set.of("states:StartExecution"),
            "LambdaInvokePolicy", Set.of("lambda:InvokeFunction"));

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static Map<String, Map<String, Object>> resources(String type) {
        Map<String, Map<String, Object>> found = new TreeMap<>();
        map(TEMPLATE.get("Resources")).forEach((id, r) -> {
            if (type.equals(map(r).get("Type"))) {
                found.put(id, map(map(r).get("Properties")));
            }
        });
        return found;
    }

    private static Map<String, Map<String, Object>> functions() {
        return resources("AWS::Serverless::Function");
    }

    private static Set<String> variablesSet(Map<String, Object> function) {
        Set<String> names = new TreeSet<>(map(map(map(map(TEMPLATE.get("Globals")).get("Function")).get("Environment")).get("Variables")).keySet());
        names.addAll(map(map(function.get("Environment")).get("Variables")).keySet());
        return names;
    }

    /** Actions the function's Policies allow. */
    private static Set<String> allowedActions(Map<String, Object> resource) {
        Set<String> actions = new TreeSet<>();
        for (Object policy : (List<?>) resource.getOrDefault("Policies", List.of())) {
            map(policy).forEach((name, value) -> {
                if (name.equals("Statement")) {
                    for (Object statement : (List<?>) value) {
                        if ("Allow".equals(map(statement).get("Effect"))) {
                            Object action = map(statement).get("Action");
                            if (action instanceof List<?> list) {
                                list.forEach(a -> actions.add(String.valueOf(a)));
                            } else {
                                actions.add(String.valueOf(action));
                            }
                        }
                    }
                } else {
                    assertThat(POLICY_TEMPLATES).as("policy template %s is known to this test", name).containsKey(name);
                    actions.addAll(POLICY_TEMPLATES.get(name));
                }
            });
        }
        return actions;
    }

    /** The IAM actions an SDK client call needs (transactions are authorised per item action; there is no action of their own). */
    private static Set<String> actionsFor(String sdkCall) {
        String client = sdkCall.substring(0, sdkCall.indexOf('.'));
        String operation = sdkCall.substring(sdkCall.indexOf('.') + 1).replace("Paginator", "");
        String service = switch (client) {
            case "DynamoDbClient" -> "dynamodb";
            case "SfnClient" -> "states";
            case "LambdaClient" -> "lambda";
            case "S3Client" -> "s3";
            default -> throw new AssertionError("an SDK client this test does not know: " + client);
        };
        if (sdkCall.equals("DynamoDbClient.transactWriteItems")) {
            return Set.of("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:ConditionCheckItem");
        }
        if (sdkCall.equals("LambdaClient.invoke")) {
            return Set.of("lambda:InvokeFunction");
        }
        if (sdkCall.equals("S3Client.headObject")) {
            return Set.of("s3:GetObject");   // HeadObject is authorised as GetObject
        }
        if (sdkCall.equals("DynamoDbClient.transactGetItems")) {
            return Set.of("dynamodb:GetItem");
        }
        return Set.of(service + ":" + Character.toUpperCase(operation.charAt(0)) + operation.substring(1));
    }

    private static boolean isOperation(String sdkCall) {
        String client = sdkCall.substring(0, sdkCall.indexOf('.'));
        String method = sdkCall.substring(sdkCall.indexOf('.') + 1);
        return client.endsWith("Client") && !Set.of("close", "serviceName", "serviceClientConfiguration", "waiter",
                "utilities", "builder", "create").contains(method);
    }

    @Test
    void everyHandlerResolvesToAPublicHandlerMethodOfAClassLambdaCanCreate() throws Exception {
        List<String> problems = new ArrayList<>();
        for (var f : functions().entrySet()) {
            String handler = String.valueOf(f.getValue().get("Handler"));
            String className = handler.contains("::") ? handler.substring(0, handler.indexOf("::")) : handler;
            String methodName = handler.contains("::") ? handler.substring(handler.indexOf("::") + 2) : "handleRequest";
            Class<?> type;
            try {
                type = Class.forName(className, false, getClass().getClassLoader());
            } catch (ClassNotFoundException e) {
                problems.add(f.getKey() + ": no class " + className);
                continue;
            }
            if (!RequestStreamHandler.class.isAssignableFrom(type) && !RequestHandler.class.isAssignableFrom(type)) {
                problems.add(f.getKey() + ": " + className + " is not a Lambda handler");
            }
            if (Modifier.isAbstract(type.getModifiers()) || !Modifier.isPublic(type.getConstructor().getModifiers())) {
                problems.add(f.getKey() + ": " + className + " needs a public no-argument constructor");
            }
            boolean method = false;
            for (Method m : type.getMethods()) {
                method |= m.getName().equals(methodName);
            }
            if (!method) {
                problems.add(f.getKey() + ": " + className + " has no public method " + methodName);
            }
        }
        assertThat(functions()).hasSizeGreaterThan(10);
        assertThat(problems).isEmpty();
    }

    @Test
    void everyVariableAFunctionReadsIsSetByTheTemplate() {
        Map<String, Set<String>> missing = new TreeMap<>();
        for (var f : functions().entrySet()) {
            String className = String.valueOf(f.getValue().get("Handler")).split("::")[0];
            Set<String> read = CODE.reach(className).variables();
            Set<String> set = variablesSet(f.getValue());
            for (String variable : read) {
                // AWS_* are Lambda's (AWS_REGION) or the SDK's standard ones (AWS_ENDPOINT_URL_*), never the template's
                if (!variable.startsWith("AWS_") && !set.contains(variable)) {
                    missing.computeIfAbsent(f.getKey(), k -> new TreeSet<>()).add(variable);
                }
            }
            assertThat(read).as("%s reads its table name", f.getKey()).contains("TABLE_NAME");
        }
        assertThat(missing).as("variables read by the code but not set in template.yaml, per function").isEmpty();
    }

    @Test
    void everyAwsOperationAFunctionsCodeCallsIsAllowedByItsPolicies() {
        Map<String, Set<String>> denied = new TreeMap<>();
        Map<String, Set<String>> called = new TreeMap<>();
        for (var f : functions().entrySet()) {
            String className = String.valueOf(f.getValue().get("Handler")).split("::")[0];
            Set<String> allowed = allowedActions(f.getValue());
            for (String call : CODE.reach(className).sdkCalls()) {
                if (!isOperation(call)) {
                    continue;
                }
                called.computeIfAbsent(f.getKey(), k -> new TreeSet<>()).add(call);
                for (String action : actionsFor(call)) {
                    if (!allowed.contains(action)) {
                        denied.computeIfAbsent(f.getKey(), k -> new TreeSet<>()).add(action + " (" + call + ")");
                    }
                }
            }
        }
        assertThat(called.get("CustomersFunction")).as("the analysis sees the customer function's writes")
                .contains("DynamoDbClient.transactWriteItems");
        assertThat(called.get("RackingFunction")).contains("SfnClient.startExecution");
        assertThat(called.get("AuthorizerFunction")).as("the authorizer only reads")
                .allSatisfy(call -> assertThat(call).matches("DynamoDbClient\\.(getItem|query|batchGetItem)"));
        assertThat(denied).as("actions the code calls that the function's policies do not allow").isEmpty();
    }

    @Test
    void stateMachineRolesMayInvokeTheFunctionsTheirDefinitionsInvoke() throws Exception {
        Map<String, Set<String>> denied = new TreeMap<>();
        for (var machine : resources("AWS::Serverless::StateMachine").entrySet()) {
            JsonNode definition = Json.read(Files.readString(ROOT.resolve(String.valueOf(machine.getValue().get("DefinitionUri")))));
            Map<String, Object> substitutions = map(machine.getValue().get("DefinitionSubstitutions"));
            Set<String> invokable = new TreeSet<>();
            for (Object policy : (List<?>) machine.getValue().getOrDefault("Policies", List.of())) {
                Object ref = map(map(map(policy).get("LambdaInvokePolicy")).get("FunctionName")).get("Ref");
                if (ref != null) {
                    invokable.add(String.valueOf(ref));
                }
            }
            List<JsonNode> tasks = new ArrayList<>();
            collectTasks(definition, tasks);
            assertThat(tasks).as(machine.getKey() + " has tasks").isNotEmpty();
            for (JsonNode task : tasks) {
                String resource = task.path("Resource").asText();
                if (!resource.startsWith("arn:aws:states:::lambda:invoke")) {
                    denied.computeIfAbsent(machine.getKey(), k -> new TreeSet<>()).add("a task of a kind this test does not check: " + resource);
                    continue;
                }
                String name = task.path("Parameters").path("FunctionName").asText();
                String function = functionOf(name, substitutions);
                if (function == null || !invokable.contains(function)) {
                    denied.computeIfAbsent(machine.getKey(), k -> new TreeSet<>()).add("lambda:InvokeFunction on " + name + " (" + function + ")");
                }
            }
        }
        assertThat(denied).isEmpty();
    }

    /** {@code ${X}} through DefinitionSubstitutions to the function's logical id ({@code !Ref F.Alias}, {@code !Ref F}, {@code !GetAtt F.Arn}). */
    private static String functionOf(String name, Map<String, Object> substitutions) {
        if (!name.startsWith("${") || !name.endsWith("}")) {
            return null;
        }
        Object value = substitutions.get(name.substring(2, name.length() - 1));
        Object ref = map(value).get("Ref");
        if (ref != null) {
            return String.valueOf(ref).replace(".Alias", "");
        }
        Object getAtt = map(value).get("Fn::GetAtt");
        if (getAtt instanceof List<?> parts && !parts.isEmpty()) {
            return String.valueOf(parts.get(0));
        }
        return null;
    }

    private static void collectTasks(JsonNode node, List<JsonNode> tasks) {
        if (node.isObject()) {
            if ("Task".equals(node.path("Type").asText())) {
                tasks.add(node);
            }
            node.forEach(child -> collectTasks(child, tasks));
        } else if (node.isArray()) {
            node.forEach(child -> collectTasks(child, tasks));
        }
    }

    @Test
    void theReadmesDeploySectionExplainsEveryTemplateParameter() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        int start = readme.indexOf("## Deploying to AWS");
        assertThat(start).isNotNegative();
        int end = readme.indexOf("\n## ", start + 1);
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        Map<String, Object> parameters = new LinkedHashMap<>(map(TEMPLATE.get("Parameters")));
        assertThat(parameters.keySet()).allSatisfy(p -> assertThat(section).as("README deploy section").contains("`" + p + "`"));
    }
}
