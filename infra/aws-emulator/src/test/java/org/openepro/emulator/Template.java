package org.openepro.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * template.yaml read as plain data. CloudFormation tags are dropped by the YAML reader but their
 * arguments stay: {@code !Ref X} reads as "X", {@code !GetAtt X.Arn} as "X.Arn".
 */
final class Template {
    private static final JsonNode ROOT = read();

    private Template() {}

    private static JsonNode read() {
        try {
            return new ObjectMapper(new YAMLFactory())
                    .readTree(ProjectPaths.template().toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode root() {
        return ROOT;
    }

    static JsonNode resource(String logicalId) {
        return ROOT.path("Resources").path(logicalId);
    }

    static List<Map.Entry<String, JsonNode>> resources(String type) {
        List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = ROOT.path("Resources").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (type.equals(e.getValue().path("Type").asText())) {
                out.add(e);
            }
        }
        return out;
    }

    /** A function property, falling back to Globals like SAM does. */
    static JsonNode functionProperty(JsonNode function, String name) {
        JsonNode own = function.path("Properties").path(name);
        return own.isMissingNode() ? ROOT.path("Globals").path("Function").path(name) : own;
    }

    /** The logical id a `!GetAtt X.Attr` or `!Ref X` points at. */
    static String target(JsonNode reference) {
        String text = reference.isArray() ? reference.get(0).asText() : reference.asText();
        int dot = text.indexOf('.');
        return dot < 0 ? text : text.substring(0, dot);
    }

    /** Every HttpApi route of every function: "METHOD /path". */
    /** "METHOD path" of each HttpApi route with the scopes its authorizer requires (any one of them). */
    static Map<String, java.util.Set<String>> routeScopes() {
        Map<String, java.util.Set<String>> scopes = new java.util.TreeMap<>();
        for (Map.Entry<String, JsonNode> fn : resources("AWS::Serverless::Function")) {
            for (JsonNode event : fn.getValue().path("Properties").path("Events")) {
                if ("HttpApi".equals(event.path("Type").asText())) {
                    java.util.Set<String> set = new java.util.TreeSet<>();
                    event.path("Properties")
                            .path("Auth")
                            .path("AuthorizationScopes")
                            .forEach(x -> set.add(x.asText()));
                    scopes.put(
                            event.path("Properties").path("Method").asText().toUpperCase(java.util.Locale.ROOT) + " "
                                    + event.path("Properties").path("Path").asText(),
                            set);
                }
            }
        }
        return scopes;
    }

    static List<String> routes() {
        return new ArrayList<>(routeScopes().keySet());
    }
}
