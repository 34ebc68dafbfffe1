package org.openepro.export;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openepro.export.format.Exporter;
import org.openepro.export.job.ExportJob;

/**
 * The manifest of a finished export, shaped like a FHIR Bulk Data export manifest
 * ({@code transactionTime}, {@code request}, {@code requiresAccessToken}, {@code output[{type,url,count}]},
 * {@code error}), with OpenEPRO's own facts (profile, format, SHA-256, questionnaire versions) under
 * {@code extension}. Stored next to the file, and returned by GET with a fresh link as the url.
 */
public final class ExportManifest {
    private ExportManifest() {
    }

    public static ObjectNode of(ExportJob job, Exporter exporter, String url) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode m = f.objectNode();
        m.put("transactionTime", job.createdAt().toString());
        m.put("request", "/v1/studies/" + job.spec().studyId() + "/exports");
        // the link is presigned: it needs no bearer token, and it expires within 15 minutes
        m.put("requiresAccessToken", false);
        ArrayNode output = m.putArray("output");
        ObjectNode file = output.addObject();
        file.put("type", exporter.manifestType());
        file.put("url", url);
        file.put("count", job.rowCount());
        m.putArray("error");
        ObjectNode ext = m.putObject("extension").putObject("openepro");
        ext.put("exportId", job.exportId());
        ext.put("studyId", job.spec().studyId());
        ext.put("format", job.spec().format());
        ext.put("profile", job.spec().profile().code());
        ext.put("from", job.spec().from().toString());
        ext.put("to", job.spec().to().toString());
        if (job.spec().siteId() != null) {
            ext.put("siteId", job.spec().siteId());
        }
        job.spec().questionnaires().forEach(ext.putArray("questionnaires")::add);
        job.questionnaireVersions().forEach(ext.putArray("questionnaireVersions")::add);
        ext.put("bytes", job.bytes());
        if (job.sha256() != null) {
            ext.put("sha256", job.sha256());
        }
        return m;
    }
}
