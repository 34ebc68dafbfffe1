package org.openepro.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Serves the built staff console ({@code console/dist}) under {@code /console/} on the local HTTP
 * API's port, with the security headers CloudFront adds when deployed, and hands the local sign-in
 * paths to {@link LocalSignIn}. Paths outside {@code /console} are not its business.
 */
public final class ConsoleSite {
    public static final String PREFIX = "/console";
    /**
     * The deployed response headers policy's CSP, with the API and the sign-in on this same origin.
     * No inline script, nothing from another origin: the bundle carries everything it runs.
     */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private static final Map<String, String> TYPES = Map.of(
            "html",
            "text/html; charset=utf-8",
            "js",
            "text/javascript; charset=utf-8",
            "css",
            "text/css; charset=utf-8",
            "json",
            "application/json",
            "svg",
            "image/svg+xml",
            "png",
            "image/png",
            "ico",
            "image/x-icon",
            "txt",
            "text/plain; charset=utf-8");

    private final Path root;
    private final LocalSignIn signIn;

    public ConsoleSite(Path root, LocalSignIn signIn) {
        this.root = root.toAbsolutePath().normalize();
        this.signIn = signIn;
    }

    public Path root() {
        return root;
    }

    public boolean handles(String rawPath) {
        return rawPath.equals(PREFIX) || rawPath.startsWith(PREFIX + "/");
    }

    public HttpEvents.Reply serve(HttpEvents.RawRequest request) {
        if (signIn.handles(request.rawPath())) {
            return signIn.serve(request);
        }
        if (!"GET".equals(request.method()) && !"HEAD".equals(request.method())) {
            return plain(405, "Method not allowed");
        }
        if (request.rawPath().equals(PREFIX)) {
            return new HttpEvents.Reply(301, List.of(Map.entry("location", PREFIX + "/")), new byte[0]);
        }
        String relative = request.rawPath().substring(PREFIX.length() + 1);
        if (relative.isEmpty()) {
            relative = "index.html";
        }
        Path file = root.resolve(relative).normalize();
        if (!file.startsWith(root)
                || relative.contains("..")
                || relative.contains("\\")
                || !Files.isRegularFile(file)) {
            if (!Files.isRegularFile(root.resolve("index.html"))) {
                return plain(503, "The console is not built: run `make console` (make run builds it).");
            }
            return plain(404, "Not found");
        }
        try {
            byte[] body = Files.readAllBytes(file);
            String name = file.getFileName().toString();
            String ext = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
            // hashed asset names never change content; the page itself must always be fresh
            String cache = relative.startsWith("assets/") ? "public, max-age=31536000, immutable" : "no-cache";
            return new HttpEvents.Reply(
                    200,
                    List.of(
                            Map.entry("content-type", TYPES.getOrDefault(ext, "application/octet-stream")),
                            Map.entry("cache-control", cache),
                            Map.entry("content-security-policy", CSP),
                            Map.entry("x-content-type-options", "nosniff"),
                            Map.entry("referrer-policy", "no-referrer"),
                            Map.entry("x-frame-options", "DENY"),
                            Map.entry("permissions-policy", "camera=(), microphone=(), geolocation=()")),
                    body);
        } catch (IOException e) {
            return plain(500, "The console file could not be read.");
        }
    }

    private static HttpEvents.Reply plain(int status, String message) {
        return new HttpEvents.Reply(
                status,
                List.of(
                        Map.entry("content-type", "text/plain; charset=utf-8"),
                        Map.entry("x-content-type-options", "nosniff")),
                message.getBytes(StandardCharsets.UTF_8));
    }
}
