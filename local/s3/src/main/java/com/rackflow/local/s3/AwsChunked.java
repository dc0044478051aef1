package com.rackflow.local.s3;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The {@code aws-chunked} content encoding the SDK uses for uploads: {@code <hex size>[;chunk-signature=…]\r\n<data>\r\n}
 * repeated, a last chunk of size 0, then optional trailers (a checksum) and an empty line. Returns the data.
 */
final class AwsChunked {
    private AwsChunked() {
    }

    static byte[] decode(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length);
        int at = 0;
        while (true) {
            int eol = indexOfCrlf(body, at);
            if (eol < 0) {
                throw new SigV4.Refused(400, "IncompleteBody", "The aws-chunked body ended inside a chunk header");
            }
            String header = new String(body, at, eol - at, StandardCharsets.US_ASCII);
            int semi = header.indexOf(';');
            int size;
            try {
                size = Integer.parseInt((semi < 0 ? header : header.substring(0, semi)).trim(), 16);
            } catch (NumberFormatException e) {
                throw new SigV4.Refused(400, "InvalidChunkSizeError", "Only the last chunk is allowed to have a size less than 8192 bytes");
            }
            at = eol + 2;
            if (size == 0) {
                return out.toByteArray();
            }
            if (at + size > body.length) {
                throw new SigV4.Refused(400, "IncompleteBody", "You did not provide the number of bytes specified by the chunk size");
            }
            out.write(body, at, size);
            at += size + 2;
        }
    }

    private static int indexOfCrlf(byte[] b, int from) {
        for (int i = from; i + 1 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
