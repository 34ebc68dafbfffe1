package org.openepro.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openepro.core.report.Answer;
import org.openepro.core.report.Report;
import org.openepro.emulator.AwsEmulatorExtension;
import org.openepro.emulator.EmulatedStack;
import org.openepro.export.format.OdmSchema;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** CDISC ODM exported through the API, downloaded through its link and validated against the official schema. */
@ExtendWith(AwsEmulatorExtension.class)
class OdmExportIT {
    private static final String NS = "http://www.cdisc.org/ns/odm/v1.3";
    private final TestReports reports = new TestReports(47);

    private List<Report> seed(ExportHarness h, String study) {
        List<Report> all = reports.series(
                study,
                16,
                i -> "SITE-" + (i % 2),
                5,
                List.of("phq-9", "eq-5d-5l", "diary", "gad-7"),
                Instant.parse("2026-03-01T06:00:00Z"),
                2_000L);
        h.seed(all);
        return all;
    }

    private static List<Element> elements(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = parent.getElementsByTagNameNS(NS, name);
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add((Element) nodes.item(i));
        }
        return out;
    }

    private static byte[] download(ExportHarness h, String study, String body) throws Exception {
        String exportId = h.request(study, body, null);
        h.drain();
        JsonNode job = h.status(exportId, study, null);
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.path("download").path("fileName").asText()).endsWith(".xml");
        byte[] xml = h.download(job.path("download").path("url").asText()).body();
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(xml)))
                .isEqualTo(job.path("sha256").asText());
        // nothing of the sort's scratch stays behind
        assertThat(h.objectKeys(exportId))
                .containsExactlyInAnyOrder(
                        "exports/" + exportId + "/data.xml",
                        "exports/" + exportId + "/dictionary.csv",
                        "exports/" + exportId + "/manifest.json");
        return xml;
    }

    @Test
    void exportsValidOdm132WithEverySubjectReportAndAnswer(EmulatedStack stack) throws Exception {
        // GIVEN a study's reports of four questionnaires, five subjects at two sites
        ExportHarness h = new ExportHarness(stack, Map.of());
        String study = "ST-" + UUID.randomUUID();
        List<Report> expected = seed(h, study);

        // WHEN staff export it as ODM (limited) and download it through the link
        byte[] xml = download(h, study, """
                {"format":"odm-xml","from":"2026-03-01","to":"2026-03-01","profile":"limited"}""");

        // THEN the official ODM 1.3.2 schema finds nothing wrong
        assertThat(OdmSchema.problems(xml)).isEmpty();
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Element root =
                f.newDocumentBuilder().parse(new ByteArrayInputStream(xml)).getDocumentElement();
        // AND the metadata describes exactly the questionnaire versions used
        assertThat(elements(root, "FormDef"))
                .extracting(e -> e.getAttribute("OID"))
                .containsExactlyInAnyOrder("F.phq-9.1.0.0", "F.eq-5d-5l.1.0.0", "F.diary.1.0.0", "F.gad-7.1.0.0");
        // AND one SubjectData per subject (pseudonyms), one StudyEventData per report
        Map<String, String> pseudonyms = new HashMap<>();
        h.exportItems(study).stream()
                .filter(i -> i.get("pk").s().equals("P#" + study))
                .forEach(i -> pseudonyms.put(
                        i.get("sk").s().substring(2), i.get("pseudonym").s()));
        assertThat(elements(root, "SubjectData"))
                .extracting(e -> e.getAttribute("SubjectKey"))
                .containsExactlyInAnyOrderElementsOf(expected.stream()
                        .map(r -> pseudonyms.get(r.subjectId()))
                        .distinct()
                        .toList());
        Map<String, Element> events = new HashMap<>();
        elements(root, "StudyEventData").forEach(e -> events.put(e.getAttribute("StudyEventRepeatKey"), e));
        assertThat(events).hasSize(expected.size());
        for (Report r : expected) {
            Element event = events.get(r.reportId());
            assertThat(((Element) event.getParentNode()).getAttribute("SubjectKey"))
                    .isEqualTo(pseudonyms.get(r.subjectId()));
            Map<String, String> values = new HashMap<>();
            elements(event, "ItemData").forEach(i -> values.put(i.getAttribute("ItemOID"), i.getAttribute("Value")));
            for (Answer a : r.answers()) {
                String v = values.get("I." + r.questionnaireId() + ".1.0.0." + a.linkId());
                assertThat(v).as(a.linkId()).isNotNull();
                if (a.type().numeric()) {
                    assertThat(new BigDecimal(v)).isEqualByComparingTo(a.number());
                } else if (a.code() != null) {
                    assertThat(v).isEqualTo(a.code());
                }
            }
            Element audit = elements(event, "AuditRecord").get(0);
            assertThat(Instant.parse(elements(audit, "DateTimeStamp").get(0).getTextContent()))
                    .isEqualTo(r.receivedAt());
        }
        // AND the limited profile names no subject id and no token subject
        String text = new String(xml, StandardCharsets.UTF_8);
        for (Report r : expected) {
            assertThat(text).doesNotContain(r.subjectId() + "\"").doesNotContain(r.submittedBy());
        }
    }

    @Test
    void anAmendedReportShowsEveryVersionWithWhoWhenAndWhy(EmulatedStack stack) throws Exception {
        // GIVEN a PHQ-9 report and its amendment an hour later, with a reason; the projections hold version 2
        ExportHarness h = new ExportHarness(stack, Map.of());
        String study = "ST-" + UUID.randomUUID();
        Report v1 = reports.report(study, "SITE-1", "SUBJ-1", "phq-9", Instant.parse("2026-03-01T08:00:00Z"));
        List<Answer> changed = new ArrayList<>(v1.answers());
        Answer first = changed.get(0);
        changed.set(
                0,
                Answer.choice(first.linkId(), first.system(), "LA6571-9", "Nearly every day", BigDecimal.valueOf(3)));
        Report v2 = v1.toBuilder()
                .version(2)
                .status("amended")
                .receivedAt(v1.receivedAt().plusSeconds(3_600))
                .answers(changed)
                .amendmentReason("Tapped the wrong answer")
                .build();
        h.seedVersions(List.of(v1, v2));
        h.seed(List.of(v2));

        // WHEN it is exported as ODM (limited)
        byte[] xml = download(h, study, """
                {"format":"odm-xml","from":"2026-03-01","to":"2026-03-01","profile":"limited"}""");

        // THEN the file is valid, and the report's study event holds both versions: an Insert, then an Update
        assertThat(OdmSchema.problems(xml)).isEmpty();
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Element root =
                f.newDocumentBuilder().parse(new ByteArrayInputStream(xml)).getDocumentElement();
        List<Element> events = elements(root, "StudyEventData");
        assertThat(events).hasSize(1);
        List<Element> forms = elements(events.get(0), "FormData");
        assertThat(forms).extracting(e -> e.getAttribute("TransactionType")).containsExactly("Insert", "Update");
        // AND each carries its own audit record: when it was received, and why the second replaced the first
        assertThat(forms)
                .extracting(
                        e -> Instant.parse(elements(e, "DateTimeStamp").get(0).getTextContent()))
                .containsExactly(v1.receivedAt(), v2.receivedAt());
        assertThat(elements(forms.get(0), "ReasonForChange")).isEmpty();
        assertThat(elements(forms.get(1), "ReasonForChange").get(0).getTextContent())
                .isEqualTo("Tapped the wrong answer");
        // AND each holds its own answers
        String oid = "I.phq-9.1.0.0." + first.linkId();
        assertThat(forms)
                .extracting(e -> elements(e, "ItemData").stream()
                        .filter(i -> i.getAttribute("ItemOID").equals(oid))
                        .findFirst()
                        .orElseThrow()
                        .getAttribute("Value"))
                .containsExactly(first.code(), "LA6571-9");
    }

    @Test
    void aDeidentifiedOdmHoldsNoSubjectIdCalendarDateOrFreeText(EmulatedStack stack) throws Exception {
        ExportHarness h = new ExportHarness(stack, Map.of());
        String study = "ST-" + UUID.randomUUID();
        List<Report> expected = seed(h, study);

        byte[] xml = download(h, study, """
                {"format":"odm-xml","from":"2026-03-01","to":"2026-03-01","profile":"deidentified"}""");

        assertThat(OdmSchema.problems(xml)).isEmpty();
        String text = new String(xml, StandardCharsets.UTF_8);
        for (Report r : expected) {
            assertThat(text)
                    .doesNotContain(r.subjectId())
                    .doesNotContain(r.reportId())
                    .doesNotContain(r.submittedBy());
            for (Answer a : r.answers()) {
                if (a.type().freeText()) {
                    assertThat(text).doesNotContain(a.text());
                }
            }
        }
        // the one calendar date is the file's CreationDateTime, which the schema requires
        Matcher dates = Pattern.compile("\\d{4}-\\d{2}-\\d{2}").matcher(text);
        List<String> before = new ArrayList<>();
        while (dates.find()) {
            before.add(text.substring(Math.max(0, dates.start() - 18), dates.start()));
        }
        assertThat(before).containsExactly("CreationDateTime=\"");
    }
}
