package org.openepro.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.openepro.runtime.lambda.FunctionInstance;

/**
 * A function's log lines on the console, each after the function's name, as CloudWatch would keep
 * them. One exception for reading: a JSON log event whose message spans lines (the runtime client's
 * report of an error, with its stack) is printed line by line.
 */
final class FunctionLogPrinter implements FunctionInstance.FunctionOutput {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Console console;

    FunctionLogPrinter(Console console) {
        this.console = console;
    }

    @Override
    public void line(String function, String line) {
        if (line.isBlank()) {
            return;
        }
        if (line.startsWith("{") && line.contains("\\n")) {
            try {
                JsonNode event = JSON.readTree(line);
                String message = event.path("message").asText("");
                if (message.contains("\n")) {
                    String level = event.path("level").asText("");
                    for (String part : message.split("\n")) {
                        console.line(
                                "%s  %s%s", function, level.isEmpty() ? "" : level + " ", part.replace("\t", "    "));
                    }
                    return;
                }
            } catch (IOException notJson) {
                // printed as it is
            }
        }
        console.line("%s  %s", function, line);
    }
}
