package org.openepro.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openepro.core.json.Json;

/** A small HTTP client for the local API, as the patient app or staff console would call it (demo and tests). */
public final class LocalApiClient {
    private final URI base;
    private final HttpClient http;

    public LocalApiClient(URI base) {
        this.base = base;
        this.http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** A response: status, headers, body as text. */
    public record Response(int status, Map<String, List<String>> headers, String body) {
        public Optional<String> header(String name) {
            return headers(name).stream().findFirst();
        }

        /** Every value of a header (e.g. each Set-Cookie), whatever the case of its name. */
        public List<String> headers(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream())
                    .toList();
        }

        /** The body as JSON (an empty object when it is not JSON). */
        public JsonNode json() {
            try {
                JsonNode node = Json.mapper().readTree(body);
                return node == null ? Json.mapper().createObjectNode() : node;
            } catch (IOException notJson) {
                return Json.mapper().createObjectNode();
            }
        }
    }

    public URI base() {
        return base;
    }

    public Response get(String path, String token) throws IOException {
        return send(request(path, token).GET().build());
    }

    /** POST with a body; {@code headers} are name/value pairs (e.g. Idempotency-Key). */
    public Response post(String path, String token, String contentType, String body, String... headers)
            throws IOException {
        HttpRequest.Builder b = request(path, token).POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b.build());
    }

    /** PUT with a JSON body (protocols, enrollments). */
    public Response put(String path, String token, String body) throws IOException {
        return send(request(path, token)
                .PUT(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .build());
    }

    /** Downloads an absolute URL (a presigned link) without any token. */
    public byte[] download(URI url) throws IOException {
        try {
            HttpResponse<byte[]> r =
                    http.send(HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new IOException("GET " + url.getPath() + " answered " + r.statusCode());
            }
            return r.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private Response send(HttpRequest request) throws IOException {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.headers().map(), r.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted", e));
        }
    }
}
