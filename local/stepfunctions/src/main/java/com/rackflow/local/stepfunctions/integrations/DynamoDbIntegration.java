package com.rackflow.local.stepfunctions.integrations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.local.stepfunctions.asl.Json;
import com.rackflow.local.stepfunctions.asl.StatesException;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.core.traits.MapTrait;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.core.util.SdkAutoConstructMap;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.utils.builder.SdkBuilder;

/**
 * The DynamoDB integrations: the optimised {@code arn:aws:states:::dynamodb:getItem|putItem|updateItem|deleteItem}
 * and the SDK {@code arn:aws:states:::aws-sdk:dynamodb:getItem|putItem|updateItem|deleteItem|query}. Parameters are
 * the DynamoDB API request (PascalCase, as on the wire); the result is the API response in the same shape.
 */
public final class DynamoDbIntegration implements AutoCloseable {

    /** The supported operations. */
    public enum Operation {
        getItem(GetItemRequest::builder),
        putItem(PutItemRequest::builder),
        updateItem(UpdateItemRequest::builder),
        deleteItem(DeleteItemRequest::builder),
        query(QueryRequest::builder);

        private final Supplier<? extends SdkBuilder<?, ?>> builder;

        Operation(Supplier<? extends SdkBuilder<?, ?>> builder) {
            this.builder = builder;
        }
    }

    private final DynamoDbClient client;

    public DynamoDbIntegration(URI endpoint, String region) {
        this.client = endpoint == null ? null : DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    /**
     * Calls DynamoDB. {@code errorPrefix} is {@code DynamoDB} for the optimised integration and {@code DynamoDb} for
     * the SDK integration, as AWS names their errors.
     */
    public JsonNode call(Operation op, JsonNode parameters, String errorPrefix) {
        if (client == null) {
            throw new StatesException(errorPrefix + ".SdkClientException",
                    "No DynamoDB endpoint is configured for the local Step Functions emulator");
        }
        SdkPojo request = toPojo((SdkPojo) op.builder.get(), parameters);
        try {
            SdkPojo response = switch (op) {
                case getItem -> client.getItem((GetItemRequest) request);
                case putItem -> client.putItem((PutItemRequest) request);
                case updateItem -> client.updateItem((UpdateItemRequest) request);
                case deleteItem -> client.deleteItem((DeleteItemRequest) request);
                case query -> client.query((QueryRequest) request);
            };
            ObjectNode out = (ObjectNode) toJson(response);
            if (errorPrefix.equals("DynamoDB")) {
                ObjectNode http = out.putObject("SdkHttpMetadata");
                http.put("HttpStatusCode", 200);
                out.putObject("SdkResponseMetadata").put("RequestId",
                        ((software.amazon.awssdk.awscore.AwsResponse) response).responseMetadata().requestId());
            }
            return out;
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            String name = code == null ? e.getClass().getSimpleName() : code;
            throw new StatesException(errorPrefix + "." + name, e.getMessage());
        } catch (SdkException e) {
            throw new StatesException(errorPrefix + ".SdkClientException", e.getMessage());
        }
    }

    static SdkPojo toPojo(SdkPojo builder, JsonNode node) {
        if (!(node instanceof ObjectNode)) {
            throw new StatesException("States.Runtime", "Expected a JSON object for a DynamoDB structure, got "
                    + Json.write(node));
        }
        Map<String, SdkField<?>> byName = new LinkedHashMap<>();
        for (SdkField<?> f : builder.sdkFields()) {
            byName.put(f.locationName(), f);
        }
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            SdkField<?> f = byName.get(e.getKey());
            if (f == null) {
                throw new StatesException("States.Runtime", "The field '" + e.getKey()
                        + "' is not supported by Step Functions");
            }
            f.set(builder, fromJson(f, e.getValue()));
        }
        return (SdkPojo) ((SdkBuilder<?, ?>) builder).build();
    }

    private static Object fromJson(SdkField<?> f, JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        MarshallingType<?> t = f.marshallingType();
        if (t == MarshallingType.STRING) {
            return v.asText();
        } else if (t == MarshallingType.INTEGER) {
            return v.asInt();
        } else if (t == MarshallingType.LONG) {
            return v.asLong();
        } else if (t == MarshallingType.BOOLEAN) {
            return v.asBoolean();
        } else if (t == MarshallingType.DOUBLE) {
            return v.asDouble();
        } else if (t == MarshallingType.FLOAT) {
            return (float) v.asDouble();
        } else if (t == MarshallingType.BIG_DECIMAL) {
            return v.decimalValue();
        } else if (t == MarshallingType.SDK_BYTES) {
            return SdkBytes.fromByteArray(Base64.getDecoder().decode(v.asText()));
        } else if (t == MarshallingType.INSTANT) {
            return Instant.ofEpochMilli((long) (v.asDouble() * 1000));
        } else if (t == MarshallingType.LIST) {
            SdkField<?> member = f.getTrait(ListTrait.class).memberFieldInfo();
            List<Object> list = new ArrayList<>();
            v.forEach(el -> list.add(fromJson(member, el)));
            return list;
        } else if (t == MarshallingType.MAP) {
            SdkField<?> value = f.getTrait(MapTrait.class).valueFieldInfo();
            Map<String, Object> map = new LinkedHashMap<>();
            v.fields().forEachRemaining(e -> map.put(e.getKey(), fromJson(value, e.getValue())));
            return map;
        } else if (t == MarshallingType.SDK_POJO) {
            return toPojo(f.constructor().get(), v);
        }
        throw new StatesException("States.Runtime", "Unsupported DynamoDB field type " + t);
    }

    static JsonNode toJson(Object value) {
        if (value instanceof SdkPojo pojo) {
            ObjectNode out = Json.object();
            for (SdkField<?> f : pojo.sdkFields()) {
                Object v = f.getValueOrDefault(pojo);
                if (v == null || v instanceof SdkAutoConstructList || v instanceof SdkAutoConstructMap) {
                    continue;
                }
                out.set(f.locationName(), toJson(v));
            }
            return out;
        }
        if (value instanceof List<?> list) {
            ArrayNode arr = Json.NODES.arrayNode();
            list.forEach(el -> arr.add(toJson(el)));
            return arr;
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode obj = Json.object();
            map.forEach((k, v) -> obj.set(String.valueOf(k), toJson(v)));
            return obj;
        }
        if (value instanceof SdkBytes bytes) {
            return Json.NODES.textNode(Base64.getEncoder().encodeToString(bytes.asByteArray()));
        }
        if (value instanceof Instant instant) {
            return Json.NODES.numberNode(BigDecimal.valueOf(instant.toEpochMilli(), 3));
        }
        if (value instanceof Enum<?> || value instanceof String) {
            return Json.NODES.textNode(value.toString());
        }
        return Json.MAPPER.valueToTree(value);
    }

    /** Resolves an operation name; null when unsupported. */
    public static Operation operation(String name) {
        for (Operation o : Operation.values()) {
            if (o.name().equals(name)) {
                return o;
            }
        }
        return null;
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
    }
}
