package com.rackflow.local.stack.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import com.rackflow.local.dynalite.Dynalite;
import com.rackflow.local.stack.LocalStack;
import com.rackflow.local.stack.template.ApiRoute;
import com.rackflow.local.stack.template.FunctionSpec;

/**
 * Figures of the local stack as its users meet it (a benchmark, not a test): time until the API answers (no function
 * JVM started yet), the first request per function through the runtime interface client (its cold start: JVM start,
 * init, SnapStart hooks, the request), warm p50/p99 through the local API Gateway, and the memory of the whole stack
 * (its JVM, dynalite, every function's JVM) with all functions warm.
 */
public final class StackBenchmark {

    private StackBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int warm = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        HttpClient http = HttpClient.newHttpClient();
        try (LocalStack bare = LocalStack.start(new LocalStack.Options(Dynalite.repositoryRoot().resolve("template.yaml"), 0, null, false))) {
            System.out.printf(Locale.ROOT, "stack without demo data: API answering after %d ms (function JVMs: %d)%n",
                    bare.servingAfter().toMillis(), bare.lambda().processIds().size());
        }
        try (LocalStack stack = LocalStack.start(new LocalStack.Options(Dynalite.repositoryRoot().resolve("template.yaml"), 0, null, true))) {
            System.out.printf(Locale.ROOT, "stack with demo data: API answering after %d ms, first demo request served after %d ms, "
                            + "demo data in place after %d ms%n", stack.servingAfter().toMillis(),
                    stack.firstRequestServedAfter().map(d -> d.toMillis()).orElse(-1L), stack.readyAfter().toMillis());
            String token = stack.identityProvider().issue("admin").accessToken();
            System.out.printf("%-28s %-44s %9s %9s %9s %9s%n", "function", "route (GET, as admin)", "first ms", "init ms", "p50 ms", "p99 ms");
            for (FunctionSpec f : stack.application().functions()) {
                ApiRoute route = f.routes().stream().filter(r -> r.method().equals("GET")).findFirst().orElse(null);
                if (route == null) {
                    long t0 = System.nanoTime();
                    try {
                        stack.lambda().invoke(f, "live", "{}".getBytes());
                    } catch (RuntimeException expected) {
                        // a task function refuses an empty event; its cold start is what is measured
                    }
                    System.out.printf(Locale.ROOT, "%-28s %-44s %9.0f %9s %9s %9s%n", f.logicalId(), "(direct invoke, {})",
                            (System.nanoTime() - t0) / 1e6, init(stack, f), "-", "-");
                    continue;
                }
                URI uri = stack.apiBaseUrl().resolve(route.path().replaceAll("\\{[^}]+}", "bench-missing"));
                HttpRequest request = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token).build();
                boolean coldAlready = !stack.lambda().processIds(f.logicalId()).isEmpty();
                long t0 = System.nanoTime();
                http.send(request, HttpResponse.BodyHandlers.discarding());
                double first = (System.nanoTime() - t0) / 1e6;
                long[] nanos = new long[warm];
                for (int i = 0; i < warm; i++) {
                    long s = System.nanoTime();
                    http.send(request, HttpResponse.BodyHandlers.discarding());
                    nanos[i] = System.nanoTime() - s;
                }
                Arrays.sort(nanos);
                System.out.printf(Locale.ROOT, "%-28s %-44s %9s %9s %9.2f %9.2f%n", f.logicalId(), route.path(),
                        coldAlready ? "(seeding)" : String.format(Locale.ROOT, "%.0f", first), init(stack, f),
                        nanos[warm / 2] / 1e6, nanos[(int) (warm * 0.99)] / 1e6);
            }
            List<ProcessHandle> processes = new ArrayList<>();
            processes.add(ProcessHandle.current());
            ProcessHandle.current().descendants().forEach(processes::add);
            long total = 0;
            for (ProcessHandle p : processes) {
                total += rssKb(p.pid());
            }
            System.out.printf(Locale.ROOT, "memory (RSS) with all %d functions warm: %d MB in %d processes (stack JVM %d MB, function JVMs %d)%n",
                    stack.application().functions().size(), total / 1024, processes.size(), rssKb(ProcessHandle.current().pid()) / 1024,
                    stack.lambda().processIds().size());
        }
    }

    private static String init(LocalStack stack, FunctionSpec f) {
        List<Long> inits = stack.lambda().initDurations(f.logicalId());
        return inits.isEmpty() ? "-" : Long.toString(inits.get(0));
    }

    private static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception gone) {
            // the process ended meanwhile
        }
        return 0;
    }
}
