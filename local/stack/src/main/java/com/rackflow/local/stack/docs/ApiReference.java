package com.rackflow.local.stack.docs;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The API's description and an interactive reference beside the local API: {@code /openapi.yaml} (the repository's
 * file, its first server set to this stack's origin) and {@code /docs/} (Swagger UI from the npm install pinned by
 * package-lock.json). Nothing of this is part of the deployed API; in AWS the same file is published with the code.
 */
public final class ApiReference implements HttpHandler {
    public static final String DOCUMENT_PATH = "/openapi.yaml";
    public static final String UI_PATH = "/docs";
    private static final String LOCAL_SERVER = "http://127.0.0.1:3000";
    private static final Map<String, String> ASSETS = Map.of(
            "swagger-ui.css", "text/css; charset=utf-8",
            "swagger-ui-bundle.js", "text/javascript; charset=utf-8",
            "swagger-ui-standalone-preset.js", "text/javascript; charset=utf-8",
            "favicon-32x32.png", "image/png",
            "favicon-16x16.png", "image/png");
    private static final String INDEX = """
            <!doctype html>
            <html lang="zh-CN">
            <head>
              <meta charset="utf-8">
              <title>RackFlow API</title>
              <link rel="stylesheet" href="swagger-ui.css">
              <link rel="icon" type="image/png" href="favicon-32x32.png" sizes="32x32">
            </head>
            <body>
            <div id="swagger-ui"></div>
            <script src="swagger-ui-bundle.js"></script>
            <script src="swagger-ui-standalone-preset.js"></script>
            <script>
              window.ui = SwaggerUIBundle({url: "../openapi.yaml", dom_id: "#swagger-ui", deepLinking: true,
                presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: "StandaloneLayout"});
            </script>
            </body>
            </html>
            """;

    private final Path document;
    private final Path swaggerUi;
    private final String origin;

    public ApiReference(Path repositoryRoot, String origin) {
        this.document = repositoryRoot.resolve("openapi.yaml");
        this.swaggerUi = repositoryRoot.resolve("node_modules/swagger-ui-dist");
        this.origin = origin;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!exchange.getRequestMethod().equals("GET")) {
                send(exchange, 405, "text/plain; charset=utf-8", "GET only".getBytes(StandardCharsets.UTF_8));
            } else if (path.equals(DOCUMENT_PATH)) {
                String yaml = Files.readString(document).replace(LOCAL_SERVER, origin);
                send(exchange, 200, "application/yaml; charset=utf-8", yaml.getBytes(StandardCharsets.UTF_8));
            } else if (path.equals(UI_PATH)) {
                exchange.getResponseHeaders().set("Location", UI_PATH + "/");
                send(exchange, 301, "text/plain; charset=utf-8", new byte[0]);
            } else if (path.equals(UI_PATH + "/") || path.equals(UI_PATH + "/index.html")) {
                send(exchange, 200, "text/html; charset=utf-8", INDEX.getBytes(StandardCharsets.UTF_8));
            } else {
                String asset = path.substring(path.lastIndexOf('/') + 1);
                String type = ASSETS.get(asset);
                if (type == null || !path.equals(UI_PATH + "/" + asset)) {
                    send(exchange, 404, "text/plain; charset=utf-8", "not found".getBytes(StandardCharsets.UTF_8));
                } else if (!Files.exists(swaggerUi.resolve(asset))) {
                    send(exchange, 503, "text/plain; charset=utf-8",
                            "swagger-ui-dist is not installed: run npm ci in the repository".getBytes(StandardCharsets.UTF_8));
                } else {
                    send(exchange, 200, type, Files.readAllBytes(swaggerUi.resolve(asset)));
                }
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
