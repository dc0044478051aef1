package com.rackflow.local.s3;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The local S3 endpoint against the AWS SDK's own client and presigner, and raw HTTP for what a browser sends. */
class LocalS3Test {
    static final String BUCKET = "rackflow-files-test";
    static final AwsBasicCredentials CREDS = AwsBasicCredentials.create("local", "local");
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path data;
    LocalS3 s3;
    S3Client client;
    S3Presigner presigner;

    @BeforeEach
    void start() {
        s3 = LocalS3.start(0, data, Map.of("local", "local")::get);
        s3.createBucket(new LocalS3.Bucket(BUCKET, List.of(new LocalS3.CorsRule(List.of("http://127.0.0.1:3003"),
                List.of("PUT", "GET"), List.of("*"), List.of("ETag"), 3000)), List.of(new LocalS3.Expiration("imports/", 1))));
        client = S3Client.builder().endpointOverride(s3.endpoint()).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(CREDS)).httpClient(UrlConnectionHttpClient.create()).build();
        presigner = S3Presigner.builder().endpointOverride(s3.endpoint()).region(Region.US_EAST_1)
                .serviceConfiguration(software.amazon.awssdk.services.s3.S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .credentialsProvider(StaticCredentialsProvider.create(CREDS)).build();
    }

    @AfterEach
    void stop() {
        client.close();
        presigner.close();
        s3.close();
    }

    PresignedPutObjectRequest presignPut(String key, long length, Duration validFor) {
        return presigner.presignPutObject(p -> p.signatureDuration(validFor).putObjectRequest(o -> o.bucket(BUCKET).key(key)
                .contentType("text/csv").contentLength(length)));
    }

    static HttpResponse<String> put(URI url, byte[] body, String contentType) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(url).header("Content-Type", contentType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void sdkPutGetHeadDeleteRoundTripAndSurviveARestart() {
        byte[] body = "公司名称,电话\r\n甲,1\r\n".repeat(5000).getBytes(StandardCharsets.UTF_8);
        client.putObject(p -> p.bucket(BUCKET).key("exports/a b/文件.csv").contentType("text/csv"), RequestBody.fromBytes(body));
        assertThat(client.getObjectAsBytes(g -> g.bucket(BUCKET).key("exports/a b/文件.csv")).asByteArray()).isEqualTo(body);
        assertThat(client.headObject(h -> h.bucket(BUCKET).key("exports/a b/文件.csv")).contentLength()).isEqualTo(body.length);
        s3.close();
        s3 = LocalS3.start(0, data, Map.of("local", "local")::get);
        s3.createBucket(new LocalS3.Bucket(BUCKET));
        S3Client again = S3Client.builder().endpointOverride(s3.endpoint()).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(CREDS)).httpClient(UrlConnectionHttpClient.create()).build();
        assertThat(again.getObjectAsBytes(g -> g.bucket(BUCKET).key("exports/a b/文件.csv")).asByteArray()).isEqualTo(body);
        again.deleteObject(d -> d.bucket(BUCKET).key("exports/a b/文件.csv"));
        assertThatThrownBy(() -> again.getObjectAsBytes(g -> g.bucket(BUCKET).key("exports/a b/文件.csv")))
                .isInstanceOf(NoSuchKeyException.class);
        again.close();
    }

    @Test
    void aPresignedPutStoresTheFileAndAPresignedGetReadsIt() throws Exception {
        byte[] body = "companyName\r\n乙有限公司\r\n".getBytes(StandardCharsets.UTF_8);
        PresignedPutObjectRequest put = presignPut("imports/u1/x", body.length, Duration.ofMinutes(15));
        assertThat(put.signedHeaders()).containsKeys("content-length", "content-type");
        HttpResponse<String> r = put(put.url().toURI(), body, "text/csv");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("ETag")).isPresent();
        URI get = presigner.presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                .getObjectRequest(g -> g.bucket(BUCKET).key("imports/u1/x").responseContentDisposition("attachment; filename=\"x.csv\"")))
                .url().toURI();
        HttpResponse<byte[]> read = HTTP.send(HttpRequest.newBuilder(get).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.body()).isEqualTo(body);
        assertThat(read.headers().firstValue("Content-Disposition")).contains("attachment; filename=\"x.csv\"");
        assertThat(read.headers().firstValue("Content-Type")).contains("text/csv");
    }

    @Test
    void anExpiredForgedOrMisusedPresignedUrlIsRefusedWithS3sXmlError() throws Exception {
        byte[] body = "x".getBytes(StandardCharsets.UTF_8);
        PresignedPutObjectRequest put = presignPut("imports/u1/y", body.length, Duration.ofSeconds(60));
        URI url = put.url().toURI();

        s3.clock(Clock.fixed(Instant.now().plusSeconds(61), ZoneOffset.UTC));
        HttpResponse<String> expired = put(url, body, "text/csv");
        assertThat(expired.statusCode()).isEqualTo(403);
        assertThat(expired.body()).contains("<Code>AccessDenied</Code>").contains("Request has expired");
        s3.clock(Clock.systemUTC());

        String sig = url.getRawQuery().replaceAll(".*X-Amz-Signature=([0-9a-f]+).*", "$1");
        URI forged = URI.create(url.toString().replace(sig, (sig.charAt(0) == 'a' ? "b" : "a") + sig.substring(1)));
        assertThat(forged).isNotEqualTo(url);
        HttpResponse<String> bad = put(forged, body, "text/csv");
        assertThat(bad.statusCode()).isEqualTo(403);
        assertThat(bad.body()).contains("<Code>SignatureDoesNotMatch</Code>");

        URI otherKey = URI.create(url.toString().replace("/imports/u1/y", "/imports/u2/y"));
        assertThat(put(otherKey, body, "text/csv").body()).contains("<Code>SignatureDoesNotMatch</Code>");
        URI longer = URI.create(url.toString().replace("X-Amz-Expires=60", "X-Amz-Expires=6000"));
        assertThat(put(longer, body, "text/csv").body()).contains("<Code>SignatureDoesNotMatch</Code>");
        // the signed length and type: a bigger file or another type is not what was signed
        assertThat(put(url, "xx".getBytes(StandardCharsets.UTF_8), "text/csv").body()).contains("<Code>SignatureDoesNotMatch</Code>");
        assertThat(put(url, body, "application/pdf").body()).contains("<Code>SignatureDoesNotMatch</Code>");
        // nothing was stored by the refused requests; the genuine URL still works
        assertThatThrownBy(() -> client.headObject(h -> h.bucket(BUCKET).key("imports/u1/y"))).isInstanceOf(NoSuchKeyException.class);
        assertThat(put(url, body, "text/csv").statusCode()).isEqualTo(200);
    }

    @Test
    void theBucketIsPrivateAndUnknownKeysAndBucketsAreS3Errors() throws Exception {
        HttpResponse<String> anonymous = put(URI.create(s3.endpoint() + "/" + BUCKET + "/imports/z"), new byte[]{1}, "text/csv");
        assertThat(anonymous.statusCode()).isEqualTo(403);
        assertThat(anonymous.body()).contains("<Code>AccessDenied</Code>");
        S3Client stranger = S3Client.builder().endpointOverride(s3.endpoint()).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "wrong")))
                .httpClient(UrlConnectionHttpClient.create()).build();
        assertThatThrownBy(() -> stranger.getObjectAsBytes(g -> g.bucket(BUCKET).key("x")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch"));
        assertThatThrownBy(() -> client.getObjectAsBytes(g -> g.bucket("nobody").key("x")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchBucket"));
        stranger.close();
    }

    @Test
    void lifecycleExpiryAndCorsFollowTheBucketsRules() throws Exception {
        client.putObject(p -> p.bucket(BUCKET).key("imports/old"), RequestBody.fromString("a"));
        client.putObject(p -> p.bucket(BUCKET).key("exports/old"), RequestBody.fromString("b"));
        HttpResponse<String> preflight = HTTP.send(HttpRequest.newBuilder(URI.create(s3.endpoint() + "/" + BUCKET + "/imports/x"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "http://127.0.0.1:3003")
                .header("Access-Control-Request-Method", "PUT").header("Access-Control-Request-Headers", "content-type").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).contains("http://127.0.0.1:3003");
        HttpResponse<String> foreign = HTTP.send(HttpRequest.newBuilder(URI.create(s3.endpoint() + "/" + BUCKET + "/imports/x"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "PUT").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(foreign.statusCode()).isEqualTo(403);
        // expiry: a presigned GET made after a day and a minute finds the import gone, the export (no rule) still there
        Instant later = Instant.now().plus(Duration.ofDays(1)).plusSeconds(60);
        S3Presigner future = S3Presigner.builder().endpointOverride(s3.endpoint()).region(Region.US_EAST_1)
                .serviceConfiguration(software.amazon.awssdk.services.s3.S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .credentialsProvider(StaticCredentialsProvider.create(CREDS)).build();
        URI importUrl = future.presignGetObject(p -> p.signatureDuration(Duration.ofDays(3))
                .getObjectRequest(g -> g.bucket(BUCKET).key("imports/old"))).url().toURI();
        URI exportUrl = future.presignGetObject(p -> p.signatureDuration(Duration.ofDays(3))
                .getObjectRequest(g -> g.bucket(BUCKET).key("exports/old"))).url().toURI();
        s3.clock(Clock.fixed(later, ZoneOffset.UTC));
        assertThat(HTTP.send(HttpRequest.newBuilder(importUrl).build(), HttpResponse.BodyHandlers.ofString()).body())
                .contains("<Code>NoSuchKey</Code>");
        assertThat(HTTP.send(HttpRequest.newBuilder(exportUrl).build(), HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("b");
        future.close();
    }
}
