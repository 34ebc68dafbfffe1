package org.openepro.runtime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The HTTP API's routes and API Gateway's matching rules: a literal segment beats a path
 * variable, a path variable beats a greedy {@code {proxy+}}, an exact method beats {@code ANY},
 * and {@code $default} catches what nothing else does. No match is API Gateway's 404.
 */
public final class RouteTable {
    public static final String DEFAULT_ROUTE = "$default";

    /**
     * One route of the template: its key ({@code POST /v1/reports}), function and required scopes;
     * {@code open} when the template sets {@code Authorizer: NONE} (no token asked, no claims passed).
     */
    public record Route(String method, String path, String functionId, List<String> scopes, boolean open) {
        public Route {
            method = method.toUpperCase(Locale.ROOT);
            scopes = List.copyOf(scopes);
        }

        public Route(String method, String path, String functionId, List<String> scopes) {
            this(method, path, functionId, scopes, false);
        }

        public String routeKey() {
            return DEFAULT_ROUTE.equals(path) ? DEFAULT_ROUTE : method + " " + path;
        }
    }

    /** A matched route and the path parameters it captured (percent-decoded). */
    public record Match(Route route, Map<String, String> pathParameters) {}

    private record Compiled(Route route, List<Segment> segments, boolean anyMethod) {}

    private enum Kind {
        LITERAL,
        VARIABLE,
        GREEDY
    }

    private record Segment(Kind kind, String text) {}

    private final List<Compiled> routes;

    public RouteTable(List<Route> routes) {
        List<Compiled> compiled = new ArrayList<>(routes.size());
        for (Route r : routes) {
            compiled.add(
                    new Compiled(r, DEFAULT_ROUTE.equals(r.path()) ? null : parse(r.path()), "ANY".equals(r.method())));
        }
        this.routes = List.copyOf(compiled);
    }

    public List<Route> routes() {
        return routes.stream().map(Compiled::route).toList();
    }

    public Optional<Match> match(String method, String rawPath) {
        String upper = method.toUpperCase(Locale.ROOT);
        List<String> segments = split(rawPath);
        Compiled best = null;
        Map<String, String> bestParams = null;
        for (Compiled c : routes) {
            if (c.segments() == null || !(c.anyMethod() || c.route().method().equals(upper))) {
                continue;
            }
            Map<String, String> params = bind(c.segments(), segments);
            if (params != null && (best == null || SPECIFICITY.compare(c, best) > 0)) {
                best = c;
                bestParams = params;
            }
        }
        if (best != null) {
            return Optional.of(new Match(best.route(), bestParams));
        }
        return routes.stream().filter(c -> c.segments() == null).findFirst().map(c -> new Match(c.route(), Map.of()));
    }

    /** Compares segment by segment (literal > variable > greedy), then exact method over ANY. */
    private static final Comparator<Compiled> SPECIFICITY = (a, b) -> {
        int n = Math.min(a.segments().size(), b.segments().size());
        for (int i = 0; i < n; i++) {
            int c = Integer.compare(
                    rank(a.segments().get(i).kind()), rank(b.segments().get(i).kind()));
            if (c != 0) {
                return c;
            }
        }
        int c = Integer.compare(a.segments().size(), b.segments().size());
        return c != 0 ? c : Boolean.compare(!a.anyMethod(), !b.anyMethod());
    };

    private static int rank(Kind kind) {
        return switch (kind) {
            case LITERAL -> 2;
            case VARIABLE -> 1;
            case GREEDY -> 0;
        };
    }

    private static Map<String, String> bind(List<Segment> template, List<String> path) {
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < template.size(); i++) {
            Segment s = template.get(i);
            if (s.kind() == Kind.GREEDY) {
                if (i >= path.size()) {
                    return null;
                }
                params.put(s.text(), decode(String.join("/", path.subList(i, path.size()))));
                return params;
            }
            if (i >= path.size()) {
                return null;
            }
            String actual = path.get(i);
            if (s.kind() == Kind.LITERAL) {
                if (!s.text().equals(actual)) {
                    return null;
                }
            } else {
                if (actual.isEmpty()) {
                    return null;
                }
                params.put(s.text(), decode(actual));
            }
        }
        return template.size() == path.size() ? params : null;
    }

    private static List<Segment> parse(String path) {
        List<Segment> segments = new ArrayList<>();
        List<String> parts = split(path);
        for (int i = 0; i < parts.size(); i++) {
            String p = parts.get(i);
            if (p.startsWith("{") && p.endsWith("+}")) {
                if (i != parts.size() - 1) {
                    throw new IllegalArgumentException("a greedy path variable must be last: " + path);
                }
                segments.add(new Segment(Kind.GREEDY, p.substring(1, p.length() - 2)));
            } else if (p.startsWith("{") && p.endsWith("}")) {
                segments.add(new Segment(Kind.VARIABLE, p.substring(1, p.length() - 1)));
            } else {
                segments.add(new Segment(Kind.LITERAL, p));
            }
        }
        return segments;
    }

    private static List<String> split(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        return p.isEmpty() ? List.of() : List.of(p.split("/", -1));
    }

    /** Percent-decoding as in a URI path: '+' stays a plus; a malformed escape is kept as written. */
    static String decode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        int i = 0;
        while (i < raw.length()) {
            if (raw.charAt(i) == '%'
                    && i + 2 < raw.length()
                    && Character.digit(raw.charAt(i + 1), 16) >= 0
                    && Character.digit(raw.charAt(i + 2), 16) >= 0) {
                out.write(Character.digit(raw.charAt(i + 1), 16) * 16 + Character.digit(raw.charAt(i + 2), 16));
                i += 3;
            } else {
                int cp = raw.codePointAt(i);
                byte[] bytes = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
                i += Character.charCount(cp);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
