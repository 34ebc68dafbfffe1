package org.openepro.core.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The codec of {@link ReportMessage}; see {@link MessageCodec} for the versioning and refusal rules. */
final class ReportMessageCodec extends JsonMessageCodec<ReportMessage> {
    static final String TYPE = "report.stored";

    ReportMessageCodec() {
        super(TYPE, 1);
    }

    @Override
    public String encode(ReportMessage message) {
        ObjectNode node = envelope();
        node.put("reportId", message.reportId());
        node.put("version", message.version());
        if (message.studyId() != null) {
            node.put("studyId", message.studyId());
        }
        return write(node);
    }

    @Override
    public ReportMessage decode(String body) {
        JsonNode node = read(body);
        String reportId = uuid(node, "reportId");
        JsonNode version = node.get("version");
        if (version == null || !version.isIntegralNumber() || !version.canConvertToInt() || version.intValue() < 1) {
            throw refused(TYPE + " message needs a version >= 1");
        }
        JsonNode study = node.get("studyId");
        if (study != null && !study.isNull() && !study.isTextual()) {
            throw refused(TYPE + " message has a studyId that is not a string");
        }
        return new ReportMessage(reportId, version.intValue(), study == null || study.isNull() ? null : study.asText());
    }
}
