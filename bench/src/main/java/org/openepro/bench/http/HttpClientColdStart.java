package org.openepro.bench.http;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.openepro.emulator.AwsEmulator;
import org.openepro.emulator.EmulatedStack;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.crt.AwsCrtHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Which SDK HTTP client starts fastest: a fresh JVM builds a DynamoDB client on it and makes one
 * GetItem against the emulator; every client measured interleaved in the same session.
 * Usage: {@code bench/run.sh http-clients [runs]}.
 */
public final class HttpClientColdStart {
    private static final List<String> CLIENTS = List.of("url-connection", "crt", "apache");

    private HttpClientColdStart() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("probe")) {
            probe(args[1], args[2]);
            return;
        }
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        EmulatedStack stack = AwsEmulator.shared().deployStack("epro-http");
        String table = stack.ref("ReportsTable");
        Map<String, List<Long>> times = new java.util.LinkedHashMap<>();
        CLIENTS.forEach(c -> times.put(c, new ArrayList<>()));
        for (String c : CLIENTS) {
            run(c, table, stack.endpoint());
        }
        for (int i = 0; i < runs; i++) {
            for (String c : CLIENTS) {
                times.get(c).add(run(c, table, stack.endpoint()));
            }
        }
        System.out.printf("fresh JVM: build a DynamoDB client and make one GetItem (ms, %d runs each)%n", runs);
        long base = median(times.get("url-connection"));
        for (var e : times.entrySet()) {
            long m = median(e.getValue());
            System.out.printf(
                    "  %-15s median %5d  ratio to url-connection %.2f  %s%n",
                    e.getKey(), m, (double) m / base, e.getValue());
        }
        Runtime.getRuntime().halt(0);
    }

    private static void probe(String client, String table) {
        long start = System.nanoTime();
        SdkHttpClient http = switch (client) {
            case "crt" -> AwsCrtHttpClient.builder().build();
            case "apache" -> ApacheHttpClient.builder().build();
            default -> UrlConnectionHttpClient.builder().build();
        };
        DynamoDbClient dynamo = DynamoDbClient.builder()
                .httpClient(http)
                .region(Region.EU_WEST_1)
                .endpointOverride(URI.create(System.getenv("AWS_ENDPOINT_URL")))
                .build();
        dynamo.getItem(b ->
                b.tableName(table).key(Map.of("pk", AttributeValue.fromS("none"), "sk", AttributeValue.fromS("none"))));
        System.out.println("RESULT " + (System.nanoTime() - start) / 1_000_000);
        Runtime.getRuntime().halt(0);
    }

    private static long run(String client, String table, URI endpoint) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(
                java,
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                HttpClientColdStart.class.getName(),
                "probe",
                client,
                table);
        pb.environment().put("AWS_ENDPOINT_URL", endpoint.toString());
        pb.environment().put("AWS_ACCESS_KEY_ID", "testing");
        pb.environment().put("AWS_SECRET_ACCESS_KEY", "testing");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String result = null;
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("RESULT ")) {
                    result = line.substring(7).trim();
                }
            }
        }
        p.waitFor();
        if (result == null) {
            throw new IllegalStateException(client + " did not complete its GetItem");
        }
        return Long.parseLong(result);
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
