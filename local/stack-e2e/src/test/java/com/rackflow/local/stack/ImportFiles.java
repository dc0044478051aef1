package com.rackflow.local.stack;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;

import static com.rackflow.local.stack.ApiClient.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Customer import files and the import's API as the console uses it: a generated CSV (rows with unique names and
 * phones; every 1,000th row from the 8th has a bad phone, every 1,000th from the 9th repeats the company of the row two above it), the
 * presigned PUT, the dry run and the commit polled until they end.
 */
final class ImportFiles {
    static final HttpClient HTTP = HttpClient.newHttpClient();

    /** A generated file's bytes and what its dry run must find. */
    record File(byte[] bytes, int rows, int ok, int invalid, int duplicate, String namePrefix) {
    }

    /** {@code rows} rows; {@code tag} (0..999) makes names and phones unique to the file. */
    static File csv(int rows, int tag, String existingName) {
        StringBuilder b = new StringBuilder("\uFEFF公司名称,联系人,电话,区域,来源,备注\r\n");
        String prefix = "导入验证" + tag + "号";
        int ok = 0;
        int invalid = 0;
        int duplicate = 0;
        for (int i = 0; i < rows; i++) {
            String name = prefix + i + "数据有限公司";
            String phone = String.format("137%03d%05d", tag, i);
            if (i == 2 && existingName != null) {
                name = existingName;
                duplicate++;
            } else if (i % 1000 == 7) {
                phone = "12345";
                invalid++;
            } else if (i % 1000 == 8) {
                name = prefix + (i - 2) + "数据有限公司";   // the row two above (the one above has the bad phone)
                duplicate++;
            } else {
                ok++;
            }
            b.append(name).append(",联系人").append(i).append(',').append(phone).append(",east,客户介绍,第").append(i).append("行\r\n");
        }
        return new File(b.toString().getBytes(StandardCharsets.UTF_8), rows, ok, invalid, duplicate, prefix);
    }

    /** PUTs the file to the answer's presigned URL with its signed headers (the HTTP client sends Content-Length itself). */
    static HttpResponse<String> put(JsonNode upload, byte[] body) throws Exception {
        return put(URI.create(upload.path("url").asText()), upload, body);
    }

    static HttpResponse<String> put(URI url, JsonNode upload, byte[] body) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(2));
        for (Iterator<Map.Entry<String, JsonNode>> it = upload.path("headers").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> h = it.next();
            if (!h.getKey().equalsIgnoreCase("content-length")) {
                r.header(h.getKey(), h.getValue().asText());
            }
        }
        return HTTP.send(r.PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Opens an import as {@code user} and uploads the file: the import id. */
    static String upload(ApiClient api, String user, String fileName, byte[] bytes) throws Exception {
        JsonNode opened = expect(api.call("POST", "/customer-imports", user, Map.of("fileName", fileName, "size", bytes.length),
                "Idempotency-Key", "open-" + System.nanoTime()), 201);
        HttpResponse<String> put = put(opened.path("upload"), bytes);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        return opened.path("importId").asText();
    }

    /** Polls GET /customer-imports/{id} until its status is one of {@code until} (or the time is up). */
    static JsonNode await(ApiClient api, String user, String id, Duration within, String... until) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            ApiClient.Answer a = api.call("GET", "/customer-imports/" + id, user, null);
            if (a.status() == 200) {
                last = a.body();
                for (String s : until) {
                    if (s.equals(last.path("status").asText())) {
                        return last;
                    }
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the import did not reach " + String.join(" or ", until) + " within " + within + ": " + last);
    }

    /** The customers {@code user} sees whose name starts with {@code prefix}, by name (to find duplicates). */
    static Map<String, Integer> customersNamed(ApiClient api, String user, String prefix) throws Exception {
        Map<String, Integer> names = new java.util.HashMap<>();
        String cursor = null;
        do {
            String path = "/customers?limit=100&q=" + java.net.URLEncoder.encode(prefix, StandardCharsets.UTF_8)
                    + (cursor == null ? "" : "&cursor=" + java.net.URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            JsonNode page = expect(api.call("GET", path, user, null), 200);
            page.path("items").forEach(c -> names.merge(c.path("companyName").asText(), 1, Integer::sum));
            cursor = page.path("nextCursor").isNull() || page.path("nextCursor").isMissingNode() ? null : page.path("nextCursor").asText();
        } while (cursor != null);
        return names;
    }

    private ImportFiles() {
    }
}
