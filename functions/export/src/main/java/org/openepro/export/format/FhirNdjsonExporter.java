package org.openepro.export.format;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.time.Instant;
import org.openepro.core.json.Json;
import org.openepro.core.report.Answer;

/**
 * FHIR R4 Bulk Data style NDJSON: one QuestionnaireResponse a line. Pseudonymous profiles name
 * the subject by a pseudonym identifier; study days (de-identified) travel in extensions, as
 * FHIR has no relative date type. The job's manifest follows the Bulk Data export manifest.
 */
public final class FhirNdjsonExporter implements Exporter {
    private static final Format FORMAT =
            new Format("fhir-ndjson", "ndjson", "application/fhir+ndjson", "QuestionnaireResponse", true);
    public static final String EXTENSION_BASE = "https://openepro.dev/fhir/StructureDefinition/";
    public static final String SUBJECT_SYSTEM = "https://openepro.dev/fhir/sid/subject";
    public static final String PSEUDONYM_SYSTEM = "https://openepro.dev/fhir/sid/pseudonym";
    private static final String STATE = "fhir-ndjson";

    @Override
    public Format format() {
        return FORMAT;
    }

    @Override
    public ExportWriter open(OutputStream out, ExportLayout layout, String resumeState) throws IOException {
        if (resumeState != null && !resumeState.equals(STATE)) {
            throw new IllegalArgumentException("not a FHIR NDJSON writer state");
        }
        return new Writer(generator(out), layout);
    }

    /** A generator that writes root values with no separator and never closes or flushes the target for us. */
    private static JsonGenerator generator(OutputStream out) throws IOException {
        JsonGenerator g = Json.mapper().getFactory().createGenerator(out);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        g.disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
        g.setRootValueSeparator(null);
        return g;
    }

    private static void number(JsonGenerator gen, BigDecimal d) throws IOException {
        if (d.scale() == 0 && d.precision() < 19) {
            gen.writeNumber(d.longValue());
        } else {
            gen.writeNumber(d.toPlainString());
        }
    }

    private static void instant(JsonGenerator gen, Instant t, char[] chars) throws IOException {
        int n = IsoTime.format(t, chars);
        if (n < 0) {
            gen.writeString(t.toString());
        } else {
            gen.writeString(chars, 0, n);
        }
    }

    private static final class Writer implements ExportWriter {
        private final JsonGenerator gen;
        private final ExportLayout layout;
        private final char[] chars = new char[IsoTime.LENGTH];

        Writer(JsonGenerator gen, ExportLayout layout) {
            this.gen = gen;
            this.layout = layout;
        }

        @Override
        public void write(ExportRecord r) throws IOException {
            boolean pseudonymous = layout.profile().pseudonymous();
            boolean dropFreeText = layout.profile().dropsFreeText();
            gen.writeStartObject();
            gen.writeStringField("resourceType", "QuestionnaireResponse");
            if (r.reportId() != null) {
                gen.writeStringField("id", r.reportId());
            }
            gen.writeObjectFieldStart("meta");
            gen.writeStringField("versionId", Integer.toString(r.version()));
            // the server's clock: when this version was received (the device's is `authored`)
            if (r.receivedAt() != null) {
                gen.writeFieldName("lastUpdated");
                instant(gen, r.receivedAt(), chars);
            }
            gen.writeEndObject();
            gen.writeArrayFieldStart("extension");
            extension("site", "valueString", r.siteId());
            dayExtension("authored-study-day", r.authoredDay());
            dayExtension("received-study-day", r.receivedDay());
            gen.writeEndArray();
            gen.writeStringField("questionnaire", r.questionnaireCanonical());
            gen.writeStringField("status", r.status());
            if (r.language() != null) {
                gen.writeStringField("language", r.language());
            }
            gen.writeObjectFieldStart("subject");
            gen.writeObjectFieldStart("identifier");
            gen.writeStringField("system", pseudonymous ? PSEUDONYM_SYSTEM : SUBJECT_SYSTEM);
            gen.writeStringField("value", r.subject());
            gen.writeEndObject();
            gen.writeEndObject();
            // exactly as the patient's device sent it: rewriting it to UTC would keep the instant but lose
            // the patient's offset, one of the two clocks
            if (r.authored() != null) {
                gen.writeStringField("authored", r.authored());
            } else if (r.authoredAt() != null) {
                gen.writeFieldName("authored");
                instant(gen, r.authoredAt(), chars);
            }
            gen.writeArrayFieldStart("item");
            for (Answer a : r.answers()) {
                if (dropFreeText && a.possiblyIdentifying()) {
                    continue;
                }
                gen.writeStartObject();
                gen.writeStringField("linkId", a.linkId());
                gen.writeArrayFieldStart("answer");
                gen.writeStartObject();
                answer(a);
                gen.writeEndObject();
                gen.writeEndArray();
                gen.writeEndObject();
            }
            gen.writeEndArray();
            gen.writeEndObject();
            gen.writeRaw('\n');
        }

        private void answer(Answer a) throws IOException {
            switch (a.type()) {
                case OPEN_CHOICE -> {
                    if (a.code() == null) {
                        gen.writeStringField("valueString", a.text());
                    } else {
                        coding(a);
                    }
                }
                case QUANTITY -> {
                    gen.writeObjectFieldStart("valueQuantity");
                    gen.writeFieldName("value");
                    number(gen, a.number());
                    if (a.display() != null) {
                        gen.writeStringField("unit", a.display());
                    }
                    if (a.system() != null) {
                        gen.writeStringField("system", a.system());
                    }
                    if (a.code() != null) {
                        gen.writeStringField("code", a.code());
                    }
                    gen.writeEndObject();
                }
                case TIME -> gen.writeStringField("valueTime", a.text());
                case CHOICE -> coding(a);
                case INTEGER -> {
                    gen.writeFieldName("valueInteger");
                    number(gen, a.number());
                }
                case DECIMAL -> {
                    gen.writeFieldName("valueDecimal");
                    number(gen, a.number());
                }
                case BOOLEAN -> gen.writeBooleanField("valueBoolean", a.bool());
                case STRING, TEXT -> gen.writeStringField("valueString", a.text());
                case DATE, DATETIME -> {
                    if (a.text() != null) {
                        gen.writeStringField(a.type().valueField(), a.text());
                    } else if (a.number() != null) {
                        gen.writeArrayFieldStart("extension");
                        dayExtension("study-day", a.number().intValue());
                        gen.writeEndArray();
                    }
                }
                case DISPLAY, GROUP -> {
                    // not answerable: never stored
                }
            }
        }

        private void coding(Answer a) throws IOException {
            gen.writeObjectFieldStart("valueCoding");
            if (a.system() != null) {
                gen.writeStringField("system", a.system());
            }
            gen.writeStringField("code", a.code());
            if (a.display() != null) {
                gen.writeStringField("display", a.display());
            }
            gen.writeEndObject();
        }

        private void extension(String name, String valueField, String value) throws IOException {
            if (value == null) {
                return;
            }
            gen.writeStartObject();
            gen.writeStringField("url", EXTENSION_BASE + name);
            gen.writeStringField(valueField, value);
            gen.writeEndObject();
        }

        private void dayExtension(String name, Integer day) throws IOException {
            if (day == null) {
                return;
            }
            gen.writeStartObject();
            gen.writeStringField("url", EXTENSION_BASE + name);
            gen.writeNumberField("valueInteger", day);
            gen.writeEndObject();
        }

        @Override
        public String suspend() throws IOException {
            gen.flush();
            return STATE;
        }

        @Override
        public void finish() throws IOException {
            gen.flush();
        }
    }
}
