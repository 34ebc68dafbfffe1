package org.openepro.export;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openepro.export.format.Exporter;
import org.openepro.export.job.ExportJob;

/**
 * The manifest of a finished export, shaped like a FHIR Bulk Data export manifest
 * ({@code transactionTime}, {@code request}, {@code requiresAccessToken}, {@code output[{type,url,count}]},
 * {@code error}), with the job's facts (profile, format, SHA-256, questionnaire versions...) under
 * {@code extension.openepro}. Stored next to the file, and returned by GET with a fresh link as the url.
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
        m.putObject("extension").set("openepro", facts(job));
        return m;
    }

    /** The job's facts, as GET shows them and the manifest records them. */
    public static ObjectNode facts(ExportJob job) {
        ObjectNode v = JsonNodeFactory.instance.objectNode();
        v.put("exportId", job.exportId());
        v.put("studyId", job.spec().studyId());
        v.put("status", job.status().name());
        v.put("format", job.spec().format());
        v.put("profile", job.spec().profile().code());
        v.put("from", job.spec().from().toString());
        v.put("to", job.spec().to().toString());
        if (job.spec().siteId() != null) {
            v.put("siteId", job.spec().siteId());
        }
        if (!job.spec().questionnaires().isEmpty()) {
            job.spec().questionnaires().forEach(v.putArray("questionnaires")::add);
        }
        v.put("labels", job.spec().labels());
        v.put("createdAt", job.createdAt().toString());
        v.put("rowCount", job.rowCount());
        v.put("bytes", job.bytes());
        if (job.sha256() != null) {
            v.put("sha256", job.sha256());
        }
        job.questionnaireVersions().forEach(v.putArray("questionnaireVersions")::add);
        if (job.completedAt() != null) {
            v.put("completedAt", job.completedAt().toString());
        }
        if (job.failureReason() != null) {
            v.put("failureReason", job.failureReason());
        }
        return v;
    }
}
