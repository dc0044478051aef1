package com.rackflow.local.stack.gateway;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.rackflow.local.stack.template.ApiRoute;
import com.rackflow.local.cloudformation.TemplateException;

/**
 * API Gateway resource matching: literal segments beat {@code {param}}, which beat a greedy {@code {proxy+}};
 * a method of {@code ANY} matches every method.
 */
final class RouteTable {

    /** A route and its compiled path. */
    record Entry(ApiRoute route, List<String> segments) {
        int specificity() {
            int score = 0;
            for (String s : segments) {
                score = score * 3 + (s.endsWith("+}") ? 0 : s.startsWith("{") ? 1 : 2);
            }
            return score;
        }
    }

    record Match(ApiRoute route, Map<String, String> pathParameters) {
    }

    private final List<Entry> entries = new ArrayList<>();

    RouteTable(List<ApiRoute> routes) {
        for (ApiRoute route : routes) {
            Entry entry = new Entry(route, segments(route.path()));
            for (Entry existing : entries) {
                if (existing.segments().equals(entry.segments()) && existing.route().method().equals(route.method())) {
                    throw new TemplateException("route " + route.method() + " " + route.path() + " is declared by both "
                            + existing.route().functionLogicalId() + "." + existing.route().eventName() + " and "
                            + route.functionLogicalId() + "." + route.eventName());
                }
            }
            entries.add(entry);
        }
        entries.sort(Comparator.comparingInt(Entry::specificity).reversed());
    }

    /** The route for the method and raw request path, with decoded path parameters. */
    Optional<Match> match(String method, String rawPath) {
        List<String> request = segments(rawPath);
        for (Entry entry : entries) {
            String routeMethod = entry.route().method();
            if (!routeMethod.equals(method) && !routeMethod.equals("ANY")) {
                continue;
            }
            Map<String, String> parameters = bind(entry.segments(), request);
            if (parameters != null) {
                return Optional.of(new Match(entry.route(), parameters));
            }
        }
        return Optional.empty();
    }

    /** Every route whose resource path matches, whatever its method (for CORS preflight). */
    List<ApiRoute> routesForPath(String rawPath) {
        List<String> request = segments(rawPath);
        List<ApiRoute> found = new ArrayList<>();
        String resource = null;
        for (Entry entry : entries) {
            if (bind(entry.segments(), request) != null && (resource == null || resource.equals(entry.route().path()))) {
                resource = entry.route().path();
                found.add(entry.route());
            }
        }
        return found;
    }

    private static Map<String, String> bind(List<String> template, List<String> request) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < template.size(); i++) {
            String t = template.get(i);
            if (t.startsWith("{") && t.endsWith("+}")) {
                if (i >= request.size()) {
                    return null;
                }
                parameters.put(t.substring(1, t.length() - 2), decode(String.join("/", request.subList(i, request.size()))));
                return parameters;
            }
            if (i >= request.size()) {
                return null;
            }
            String r = request.get(i);
            if (t.startsWith("{") && t.endsWith("}")) {
                if (r.isEmpty()) {
                    return null;
                }
                parameters.put(t.substring(1, t.length() - 1), decode(r));
            } else if (!t.equals(r)) {
                return null;
            }
        }
        return template.size() == request.size() ? parameters : null;
    }

    private static List<String> segments(String path) {
        List<String> segments = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                segments.add(s);
            }
        }
        return segments;
    }

    private static String decode(String raw) {
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
