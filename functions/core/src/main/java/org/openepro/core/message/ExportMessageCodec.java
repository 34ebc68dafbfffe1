package org.openepro.core.message;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The codec of {@link ExportMessage}; see {@link MessageCodec} for the versioning and refusal rules. */
final class ExportMessageCodec extends JsonMessageCodec<ExportMessage> {
    static final String TYPE = "export.run";

    ExportMessageCodec() {
        super(TYPE, 1);
    }

    @Override
    public String encode(ExportMessage message) {
        ObjectNode node = envelope();
        node.put("exportId", message.exportId());
        return write(node);
    }

    @Override
    public ExportMessage decode(String body) {
        return new ExportMessage(uuid(read(body), "exportId"));
    }
}
