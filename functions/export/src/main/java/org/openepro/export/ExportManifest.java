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
 * {@code extension.openepro}, and there too the API path that issues download links ({@code links}).
 *
 * <p>It exists in two copies that differ only in how {@code output[0].url} reaches the file:
 * <ul>
 *   <li>{@link #withLink}: what GET {@code /v1/exports/{exportId}} returns, with the fresh presigned
 *       link of that GET as the url; the link needs no bearer token ({@code requiresAccessToken: false}).</li>
 *   <li>{@link #stored}: {@code manifest.json}, written next to the file. It cannot hold a presigned
 *       link (the link would outlive its 15 minutes and its issue would not be audited), so its url is
 *       the data object's name as a relative reference: resolved against the manifest's own location
 *       ({@code exports/{exportId}/manifest.json}) it is the file itself, for whoever could read the
 *       manifest, that is a holder of the bucket's credentials ({@code requiresAccessToken: true}). A
 *       client of the API gets links from the path under {@code extension.openepro.links}.</li>
 * </ul>
 */
public final class ExportManifest {
    private ExportManifest() {}

    /** The manifest GET returns: {@code url} is the presigned link just issued. */
    public static ObjectNode withLink(ExportJob job, Exporter exporter, String presignedUrl) {
        return of(job, exporter, presignedUrl, false);
    }

    /** The manifest stored next to the file: {@code url} is the data object relative to the manifest. */
    public static ObjectNode stored(ExportJob job, Exporter exporter) {
        return of(
                job,
                exporter,
                ExportObjects.dataName(exporter.format(job.spec().layout()).fileExtension()),
                true);
    }

    private static ObjectNode of(ExportJob job, Exporter exporter, String url, boolean requiresAccessToken) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode m = f.objectNode();
        m.put("transactionTime", job.createdAt().toString());
        // the Bulk Data spec asks for the kick-off request's full URL; jobs stored before it was kept have the path
        m.put(
                "request",
                job.requestUrl() != null
                        ? job.requestUrl()
                        : "/v1/studies/" + job.spec().studyId() + "/exports");
        m.put("requiresAccessToken", requiresAccessToken);
        ArrayNode output = m.putArray("output");
        ObjectNode file = output.addObject();
        file.put("type", exporter.manifestType());
        file.put("url", url);
        file.put("count", job.rowCount());
        m.putArray("error");
        ObjectNode openepro = facts(job);
        openepro.put("links", ExportObjects.apiPath(job.exportId()));
        m.putObject("extension").set("openepro", openepro);
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
        v.put("layout", job.spec().layout().code());
        if (job.spec().by() != null) {
            v.put("by", job.spec().by().code());
        }
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
        if (job.provenance() != null) {
            v.setAll(job.provenance().toJson());
        }
        return v;
    }
}
