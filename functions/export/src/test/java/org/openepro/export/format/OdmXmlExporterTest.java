package org.openepro.export.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.openepro.core.report.Answer;
import org.openepro.export.profile.Profile;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class OdmXmlExporterTest {
    private static final String NS = OdmXmlExporter.NAMESPACE;

    static byte[] odm(Profile profile, List<ExportRecord> records) throws Exception {
        List<ExportRecord> sorted = new ArrayList<>(records);
        OdmXmlExporter odm = new OdmXmlExporter();
        sorted.sort(odm.order(TableLayout.WIDE));
        ExportLayout layout = ExportLayout.of(Fixtures.definitions(Fixtures.QUESTIONNAIRES), profile, false)
                .withFacts(new ExportLayout.Facts(
                        "STUDY-1",
                        List.of("SITE-0", "SITE-1", "SITE-2"),
                        Instant.parse("2026-03-10T00:00:00Z"),
                        "0b5e6c1e-0000-4000-8000-000000000001"));
        return Fixtures.write(odm, layout, sorted);
    }

    static Document parse(byte[] xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
    }

    static List<Element> elements(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = parent.getElementsByTagNameNS(NS, name);
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add((Element) nodes.item(i));
        }
        return out;
    }

    @Test
    void isValidOdm132WithOneSubjectDataPerSubjectAndEveryAnswerAsItemData() throws Exception {
        // GIVEN 21 reports of 7 subjects in three questionnaires, an identified export
        List<ExportRecord> records = Fixtures.records(21, Profile.IDENTIFIED);

        // WHEN written as ODM
        byte[] xml = odm(Profile.IDENTIFIED, records);

        // THEN the official schema finds nothing wrong
        assertThat(OdmSchema.problems(xml)).isEmpty();
        Element root = parse(xml).getDocumentElement();
        assertThat(root.getAttribute("ODMVersion")).isEqualTo("1.3.2");
        assertThat(root.getAttribute("FileType")).isEqualTo("Transactional");

        // AND there is one SubjectData per subject, a StudyEventData per report holding its form
        List<Element> subjects = elements(root, "SubjectData");
        assertThat(subjects)
                .extracting(e -> e.getAttribute("SubjectKey"))
                .containsExactlyInAnyOrderElementsOf(
                        records.stream().map(ExportRecord::subject).distinct().toList());
        Map<String, Element> events = new HashMap<>();
        for (Element e : elements(root, "StudyEventData")) {
            events.put(e.getAttribute("StudyEventRepeatKey"), e);
        }
        assertThat(events).hasSize(records.size());
        for (ExportRecord r : records) {
            Element event = events.get(r.reportId());
            assertThat(((Element) event.getParentNode()).getAttribute("SubjectKey"))
                    .isEqualTo(r.subject());
            assertThat(event.getAttribute("StudyEventOID")).isEqualTo("SE." + r.questionnaireId());
            Element form = elements(event, "FormData").get(0);
            assertThat(form.getAttribute("FormOID"))
                    .isEqualTo("F." + r.questionnaireId() + "." + r.questionnaireVersion());
            Map<String, String> values = new HashMap<>();
            for (Element item : elements(form, "ItemData")) {
                values.put(item.getAttribute("ItemOID"), item.getAttribute("Value"));
            }
            assertThat(values.get("I.REPORT.AUTHORED")).isEqualTo(r.authored());
            assertThat(values.get("I.REPORT.AUTHORED_OFFSET")).isEqualTo("+01:00");
            for (Answer a : r.answers()) {
                String v =
                        values.get(OdmXmlExporter.itemOid(r.questionnaireId(), r.questionnaireVersion(), a.linkId()));
                assertThat(v).as(a.linkId()).isNotNull();
                switch (a.type()) {
                    case CHOICE -> assertThat(v).isEqualTo(a.code());
                    case INTEGER, DECIMAL -> assertThat(new BigDecimal(v)).isEqualByComparingTo(a.number());
                    case BOOLEAN -> assertThat(v).isEqualTo(a.bool().toString());
                    default -> assertThat(v).isEqualTo(a.text());
                }
            }
            // AND an audit record: who, where and when (the server's receipt), the token subject as the source
            Element audit = elements(form, "AuditRecord").get(0);
            assertThat(elements(audit, "UserRef").get(0).getAttribute("UserOID"))
                    .isEqualTo("USR.SUBJECT");
            assertThat(elements(audit, "LocationRef").get(0).getAttribute("LocationOID"))
                    .isEqualTo("LOC." + r.siteId());
            assertThat(Instant.parse(elements(audit, "DateTimeStamp").get(0).getTextContent()))
                    .isEqualTo(r.receivedAt());
            assertThat(elements(audit, "SourceID").get(0).getTextContent())
                    .isEqualTo("token subject " + r.submittedBy());
        }
    }

    @Test
    void metadataDecodesEveryChoiceWithItsPublishedScore() throws Exception {
        byte[] xml = odm(Profile.LIMITED, Fixtures.records(3, Profile.LIMITED));
        Element root = parse(xml).getDocumentElement();

        Element phq1 = elements(root, "ItemDef").stream()
                .filter(e -> e.getAttribute("OID").equals("I.phq-9.1.0.0.44250-9"))
                .findFirst()
                .orElseThrow();
        assertThat(phq1.getAttribute("DataType")).isEqualTo("text");
        assertThat(elements(phq1, "TranslatedText").get(0).getTextContent())
                .isEqualTo("Little interest or pleasure in doing things");
        Element codes = elements(root, "CodeList").stream()
                .filter(e -> e.getAttribute("OID").equals("CL.phq-9.1.0.0.44250-9"))
                .findFirst()
                .orElseThrow();
        List<Element> items = elements(codes, "CodeListItem");
        assertThat(items)
                .extracting(e -> e.getAttribute("CodedValue"))
                .containsExactly("LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9");
        assertThat(items).extracting(e -> e.getAttribute("Rank")).containsExactly("0", "1", "2", "3");
        assertThat(elements(items.get(0), "TranslatedText").get(0).getTextContent())
                .isEqualTo("Not at all");
        // the limited profile names no token subject
        assertThat(new String(xml, java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("token subject");
    }

    @Test
    void aDeidentifiedFileHoldsNoSubjectIdCalendarDateReportIdOrFreeText() throws Exception {
        // GIVEN diaries with free text, and the other questionnaires, de-identified
        List<ExportRecord> records = new ArrayList<>(Fixtures.records(12, Profile.DEIDENTIFIED));
        List<ExportRecord> identified = Fixtures.records(12, Profile.IDENTIFIED);

        // WHEN written as ODM
        byte[] xml = odm(Profile.DEIDENTIFIED, records);
        String text = new String(xml, java.nio.charset.StandardCharsets.UTF_8);

        // THEN it is valid ODM 1.3.2
        assertThat(OdmSchema.problems(xml)).isEmpty();
        // AND no subject id, report id, token subject or free text appears
        for (ExportRecord r : identified) {
            assertThat(text)
                    .doesNotContain(r.subject())
                    .doesNotContain(r.reportId())
                    .doesNotContain(r.submittedBy());
            for (Answer a : r.answers()) {
                if (a.type().freeText()) {
                    assertThat(text).doesNotContain(a.text());
                }
            }
        }
        // AND the only calendar date is the file's own creation time, which the schema requires
        var dates = Pattern.compile("\\d{4}-\\d{2}-\\d{2}").matcher(text);
        List<String> found = new ArrayList<>();
        while (dates.find()) {
            found.add(text.substring(Math.max(0, dates.start() - 18), dates.start()));
        }
        assertThat(found).hasSize(1);
        assertThat(found.get(0)).endsWith("CreationDateTime=\"");
        // AND study days stand in for the dates
        Element root = parse(xml).getDocumentElement();
        assertThat(elements(root, "ItemData").stream()
                        .filter(e -> e.getAttribute("ItemOID").equals("I.REPORT.AUTHORED_DAY")))
                .hasSize(records.size());
        assertThat(elements(root, "AuditRecord")).isEmpty();
    }

    @Test
    void escapesMarkupInTextAndDropsWhatXmlCannotCarry() throws Exception {
        assertThat(OdmXmlExporter.xmlEscaped("a<b & \"c\"\u0001", true)).isEqualTo("a&lt;b &amp; &quot;c&quot;\uFFFD");
        List<ExportRecord> records = List.of(Fixtures.diary("<b>&\"quoted\"</b>\u0007", "70.5"));
        byte[] xml = odm(Profile.LIMITED, records);
        assertThat(OdmSchema.problems(xml)).isEmpty();
        Element root = parse(xml).getDocumentElement();
        assertThat(elements(root, "ItemData").stream()
                        .filter(e -> e.getAttribute("ItemOID").endsWith(".comment"))
                        .findFirst()
                        .orElseThrow()
                        .getAttribute("Value"))
                .isEqualTo("<b>&\"quoted\"</b>\uFFFD");
    }
}
