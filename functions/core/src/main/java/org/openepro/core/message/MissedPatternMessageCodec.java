package org.openepro.core.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;
import java.util.regex.Pattern;

/** The codec of {@link MissedPatternMessage}; see {@link MessageCodec} for the versioning and refusal rules. */
final class MissedPatternMessageCodec extends JsonMessageCodec<MissedPatternMessage> {
    static final String TYPE = "schedule.missed-pattern";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:#|/-]{1,256}");
    private static final Set<String> SEVERITIES = Set.of("URGENT", "HIGH", "MEDIUM", "LOW");

    MissedPatternMessageCodec() {
        super(TYPE, 1);
    }

    @Override
    public String encode(MissedPatternMessage m) {
        ObjectNode node = envelope();
        node.put("alertId", m.alertId());
        node.put("studyId", m.studyId());
        node.put("siteId", m.siteId());
        node.put("subjectId", m.subjectId());
        node.put("entryId", m.entryId());
        node.put("questionnaireId", m.questionnaireId());
        node.put("questionnaire", m.questionnaire());
        node.put("taskId", m.taskId());
        node.put("consecutive", m.consecutive());
        node.put("severity", m.severity());
        node.put("missedAt", m.missedAt());
        return write(node);
    }

    @Override
    public MissedPatternMessage decode(String body) {
        JsonNode node = read(body);
        if (!node.has("type")) {
            // this contract was versioned from its first message: there is no unversioned form to read
            throw refused("message is not of type " + TYPE);
        }
        JsonNode consecutive = node.get("consecutive");
        if (consecutive == null
                || !consecutive.isIntegralNumber()
                || !consecutive.canConvertToInt()
                || consecutive.intValue() < 1) {
            throw refused(TYPE + " message needs consecutive >= 1");
        }
        String severity = id(node, "severity");
        if (!SEVERITIES.contains(severity)) {
            throw refused(TYPE + " message has an unknown severity");
        }
        return new MissedPatternMessage(
                uuid(node, "alertId"),
                id(node, "studyId"),
                id(node, "siteId"),
                id(node, "subjectId"),
                id(node, "entryId"),
                id(node, "questionnaireId"),
                id(node, "questionnaire"),
                id(node, "taskId"),
                consecutive.intValue(),
                severity,
                id(node, "missedAt"));
    }

    private static String id(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || !ID.matcher(v.asText()).matches()) {
            throw refused(TYPE + " message needs " + field);
        }
        return v.asText();
    }
}
