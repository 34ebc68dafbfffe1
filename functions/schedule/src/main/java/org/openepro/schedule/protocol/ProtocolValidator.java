package org.openepro.schedule.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.openepro.core.http.Problem.FieldError;

/**
 * Every check a new protocol version must pass, each failure a field error: the document's own
 * rules ({@link ProtocolParser}), overlapping windows ({@link WindowOverlapCheck}), and that a new
 * version does not take effect before the one it follows.
 */
public final class ProtocolValidator {
    private final ProtocolParser parser;
    private final WindowOverlapCheck overlaps = new WindowOverlapCheck();

    public ProtocolValidator(QuestionnaireLookup questionnaires) {
        this.parser = new ProtocolParser(questionnaires);
    }

    public ProtocolParser.Result validate(String studyId, JsonNode document, Optional<Protocol> previous) {
        ProtocolParser.Result parsed = parser.parse(studyId, document);
        List<FieldError> errors = new ArrayList<>(parsed.errors());
        if (parsed.protocol() != null) {
            errors.addAll(overlaps.check(parsed.protocol()));
        }
        boolean dateRead = parsed.errors().stream().noneMatch(e -> e.pointer().equals("/effectiveFrom"));
        if (dateRead
                && parsed.protocol() != null
                && previous.isPresent()
                && parsed.protocol().effectiveFrom().isBefore(previous.get().effectiveFrom())) {
            errors.add(FieldError.at(
                    "/effectiveFrom",
                    "before-previous-version",
                    "A new version cannot take effect before version "
                            + previous.get().version() + " (" + previous.get().effectiveFrom() + ")."));
        }
        return new ProtocolParser.Result(parsed.protocol(), errors);
    }
}
