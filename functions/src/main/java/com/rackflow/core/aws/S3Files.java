package com.rackflow.core.aws;

import com.rackflow.core.config.Config;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The application's files bucket ({@code FILES_BUCKET}: imports uploaded by the browser, exports written for it):
 * presigned PUT and GET URLs (SigV4 query-string signatures, so the file never passes through API Gateway's 10 MB /
 * Lambda's 6 MB payload) and reads and writes by the functions. The client and the presigner are built once per
 * container like every AWS client ({@link AwsClients}); {@code AWS_ENDPOINT_URL_S3}, the SDK's standard variable,
 * points both at another endpoint, which is then addressed path-style ({@code <endpoint>/<bucket>/<key>}).
 */
public final class S3Files {
    private static volatile S3Files shared;

    private final S3Client client;
    private final S3Presigner presigner;
    private final String bucket;

    public S3Files(S3Client client, S3Presigner presigner, String bucket) {
        this.client = client;
        this.presigner = presigner;
        this.bucket = bucket;
    }

    /** The files bucket of this deployment. */
    public static S3Files bucket() {
        S3Files s = shared;
        if (s == null) {
            synchronized (S3Files.class) {
                if (shared == null) {
                    Optional<String> endpoint = Config.optional("AWS_ENDPOINT_URL_S3");
                    S3Client client = AwsClients.build(S3Client.builder().forcePathStyle(endpoint.isPresent()), "AWS_ENDPOINT_URL_S3");
                    S3Presigner.Builder p = S3Presigner.builder().region(Region.of(Config.region()))
                            .credentialsProvider(AwsClients.credentials())
                            .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(endpoint.isPresent()).build());
                    endpoint.ifPresent(e -> p.endpointOverride(URI.create(e)));
                    shared = new S3Files(client, p.build(), Config.optional("FILES_BUCKET").orElse(""));
                }
                s = shared;
            }
        }
        return s;
    }

    public String name() {
        return bucket;
    }

    /** A presigned PUT: the URL and the headers the uploader must send as signed (length and type included). */
    public record Upload(String url, Map<String, String> headers, Instant expiresAt) {
    }

    /**
     * A PUT of exactly {@code length} bytes of {@code contentType} to {@code key}, valid for {@code validFor}: S3 refuses
     * another length or type (SignatureDoesNotMatch), as it refuses the URL once expired (AccessDenied).
     */
    public Upload presignPut(String key, String contentType, long length, Duration validFor) {
        PresignedPutObjectRequest p = presigner.presignPutObject(r -> r.signatureDuration(validFor)
                .putObjectRequest(o -> o.bucket(bucket).key(key).contentType(contentType).contentLength(length)));
        Map<String, String> headers = new LinkedHashMap<>();
        p.signedHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("host")) {
                headers.put(name, String.join(",", values));
            }
        });
        return new Upload(p.url().toString(), headers, p.expiration());
    }

    /** A GET of {@code key} valid for {@code validFor}, downloaded as {@code fileName} (Content-Disposition). */
    public String presignGet(String key, String fileName, Duration validFor) {
        String disposition = "attachment; filename*=UTF-8''" + java.net.URLEncoder.encode(fileName, java.nio.charset.StandardCharsets.UTF_8)
                .replace("+", "%20");
        return presigner.presignGetObject(r -> r.signatureDuration(validFor)
                .getObjectRequest(g -> g.bucket(bucket).key(key).responseContentDisposition(disposition))).url().toString();
    }

    /** The object's size; empty when there is none (not uploaded, or expired). */
    public Optional<Long> size(String key) {
        try {
            return Optional.of(client.headObject(h -> h.bucket(bucket).key(key)).contentLength());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The object's bytes, at most {@code maxBytes} (a larger object is an {@link IllegalArgumentException}); empty when missing. */
    public Optional<byte[]> read(String key, long maxBytes) {
        try (InputStream in = client.getObject(g -> g.bucket(bucket).key(key), ResponseTransformer.toInputStream())) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (bytes.length > maxBytes) {
                throw new IllegalArgumentException("the file is larger than " + maxBytes + " bytes");
            }
            return Optional.of(bytes);
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void write(String key, byte[] body, String contentType) {
        client.putObject(p -> p.bucket(bucket).key(key).contentType(contentType), RequestBody.fromBytes(body));
    }

    public void delete(List<String> keys) {
        keys.forEach(k -> client.deleteObject(d -> d.bucket(bucket).key(k)));
    }
}
