package org.openepro.schedule.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.openepro.core.schedule.Occurrence;
import org.openepro.core.schedule.TaskStatus;

/**
 * A patient's occurrences as FHIR R4 {@code Task} resources in a {@code searchset} Bundle:
 * {@code focus} is the Questionnaire (canonical {@code url|version}), {@code for} the subject's
 * pseudonym, {@code executionPeriod} the window in the subject's local time (with its offset),
 * {@code status} derived from the stored status and the clock (a missed window is {@code failed}), the
 * Bundle's {@code timestamp} the instant of that clock it was derived at.
 */
public final class TaskBundle {
    public static final String EXTENSION_BASE = "https://openepro.dev/fhir/StructureDefinition/";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    private TaskBundle() {}

    public static ObjectNode of(List<Occurrence> occurrences, Instant now) {
        ObjectNode bundle = F.objectNode();
        bundle.put("resourceType", "Bundle");
        bundle.put("type", "searchset");
        // when it was assembled, by the function's clock: what "now" the statuses were derived at
        bundle.put("timestamp", now.toString());
        bundle.put("total", occurrences.size());
        ArrayNode entries = bundle.putArray("entry");
        for (Occurrence o : occurrences) {
            ObjectNode entry = entries.addObject();
            entry.put("fullUrl", "Task/" + o.taskId());
            entry.set("resource", task(o, now));
            entry.putObject("search").put("mode", "match");
        }
        return bundle;
    }

    public static ObjectNode task(Occurrence o, Instant now) {
        ObjectNode t = F.objectNode();
        t.put("resourceType", "Task");
        t.put("id", o.taskId().toString());
        TaskStatus status = o.taskStatus(now);
        t.put("status", status.code());
        t.put("intent", "plan");
        t.putObject("code")
                .putArray("coding")
                .addObject()
                .put("system", "http://hl7.org/fhir/CodeSystem/task-code")
                .put("code", "fulfill");
        t.putObject("focus").put("reference", o.questionnaire());
        t.putObject("for").put("reference", "Patient/" + o.subject().subjectId());
        ObjectNode period = t.putObject("executionPeriod");
        period.put("start", local(o.window().opens(), o));
        period.put("end", local(o.window().closes(), o));
        ArrayNode ext = t.putArray("extension");
        ObjectNode utc =
                ext.addObject().put("url", EXTENSION_BASE + "window-utc").putObject("valuePeriod");
        utc.put("start", o.window().opens().toString());
        utc.put("end", o.window().closes().toString());
        ext.addObject().put("url", EXTENSION_BASE + "scheduled-at").put("valueDateTime", local(o.scheduledAt(), o));
        ext.addObject()
                .put("url", EXTENSION_BASE + "time-zone")
                .put("valueCode", o.zone().getId());
        ext.addObject()
                .put("url", EXTENSION_BASE + "reminders-sent")
                .put("valueInteger", o.progress().remindersSent());
        ext.addObject()
                .put("url", EXTENSION_BASE + "protocol-version")
                .put("valueInteger", o.taskId().protocolVersion());
        ext.addObject().put("url", EXTENSION_BASE + "sequence").put("valuePositiveInt", o.sequence());
        ArrayNode input = t.putArray("input");
        ObjectNode in = input.addObject();
        in.putObject("type").put("text", "questionnaire");
        in.put("valueCanonical", o.questionnaire());
        if (o.progress().reportId() != null) {
            ObjectNode out = t.putArray("output").addObject();
            out.putObject("type").put("text", "QuestionnaireResponse");
            out.putObject("valueReference")
                    .put("reference", "QuestionnaireResponse/" + o.progress().reportId());
            if (o.progress().verdict() != null) {
                ext.addObject()
                        .put("url", EXTENSION_BASE + "window-verdict")
                        .put("valueCode", o.progress().verdict().code());
            }
        }
        return t;
    }

    private static String local(Instant t, Occurrence o) {
        return OffsetDateTime.ofInstant(t, o.zone()).format(LOCAL);
    }
}
