package com.rackflow.local.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import com.rackflow.local.dynalite.Dynalite;

/**
 * The front keeps its connections to dynalite in a pool. Node closes an idle keep-alive connection after 5 s by
 * default, and a request the front sends on it at that moment is lost with no answer (seen in CI as "header parser
 * received no bytes"); dynalite is started so that it keeps idle connections open.
 */
class DynaliteKeepAliveTest {

    @Test
    void anIdleConnectionIsStillOpenAfterNodesDefaultKeepAliveTimeout() throws Exception {
        try (Dynalite dynalite = Dynalite.start(Dynalite.freePort(), null);
             Socket socket = new Socket("127.0.0.1", dynalite.port())) {
            socket.setSoTimeout(10_000);
            assertThat(listTables(socket)).startsWith("HTTP/1.1 200");

            Thread.sleep(6_500);

            assertThat(listTables(socket)).as("the same connection answers after 6.5 s idle").startsWith("HTTP/1.1 200");
        }
    }

    /** One ListTables on the connection; its answer's head. */
    private static String listTables(Socket socket) throws IOException {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        out.write(("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n"
                + "Content-Type: application/x-amz-json-1.0\r\nX-Amz-Target: DynamoDB_20120810.ListTables\r\n"
                + "X-Amz-Date: 20200101T000000Z\r\nAuthorization: AWS4-HMAC-SHA256 Credential=local/20200101/us-east-1/dynamodb/aws4_request, "
                + "SignedHeaders=host;x-amz-date;x-amz-target, Signature=0\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return "closed by dynalite";
            }
            head.write(b);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        in.readNBytes(length);
        return text;
    }
}
