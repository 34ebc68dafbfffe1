package org.openepro.export.format;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.openepro.core.questionnaire.AnswerOption;
import org.openepro.core.questionnaire.ItemDefinition;
import org.openepro.core.questionnaire.ItemType;
import org.openepro.core.questionnaire.QuestionnaireDefinition;
import org.openepro.core.questionnaire.ScoreDefinition;
import org.openepro.core.questionnaire.ScoreMethod;
import org.openepro.core.report.Answer;
import org.openepro.core.report.Score;

/**
 * CDISC ODM 1.3.2, a transactional file: {@code Study/MetaDataVersion} generated from the questionnaire
 * versions the export holds (a {@code StudyEventDef} per questionnaire, a {@code FormDef} per version with
 * the report's own item group and the questionnaire's, {@code ItemDef}s with ODM data types and the item
 * text, {@code CodeList}s with each option's code, decoded display and score as {@code Rank}); {@code AdminData}
 * naming the sites; {@code ClinicalData} with one {@code SubjectData} per subject (the subject id or the
 * study's pseudonym, per the profile), a {@code StudyEventData} per report and a {@code FormData} per
 * version (an amended report's earlier versions too, read from the reports table: {@code Insert}, then
 * {@code Update}s), each carrying an {@code AuditRecord}: who (the subject, through the patient app; the token subject as
 * {@code SourceID} only in an identified export), where (the site), when (the server's receipt) and why (the
 * amendment's reason).
 *
 * <p>A de-identified file holds no calendar date, report id or free text: dates are study days (items of the
 * report group), free-text items and amendment reasons are left out, and since an {@code AuditRecord} must
 * carry a {@code DateTimeStamp} there is none; the one date left is the file's own {@code CreationDateTime},
 * which the schema requires (when the export was made, nobody's data).
 *
 * <p>Records must arrive ordered by subject ({@link #order}): the worker sorts them first, with bounded memory.
 * Streamed through one reused buffer; not resumable (the whole file is one document).
 */
public final class OdmXmlExporter implements Exporter {
    public static final String NAMESPACE = "http://www.cdisc.org/ns/odm/v1.3";
    private static final Format FORMAT = new Format("odm-xml", "xml", "application/xml", "ODM", false);
    static final String MDV = "MDV.1";
    static final String REPORT_GROUP = "IG.REPORT";
    static final String PATIENT_USER = "USR.SUBJECT";

    /**
     * By subject: what one SubjectData needs. The sort is stable, so within a subject the reports keep the
     * projections' order (by first receipt) and an amended report's versions, handed over together, stay
     * together and oldest first.
     */
    private static final Comparator<ExportRecord> ORDER = Comparator.comparing(ExportRecord::subject);

    @Override
    public Format format() {
        return FORMAT;
    }

    @Override
    public Comparator<ExportRecord> order(TableLayout layout) {
        return ORDER;
    }

    /** Every version of an amended report is a FormData of its own, with its own audit record. */
    @Override
    public boolean history() {
        return true;
    }

    @Override
    public ExportWriter open(OutputStream out, ExportLayout layout, String resumeState) throws IOException {
        Exporter.refuseResume(resumeState, "an ODM file");
        Writer w = new Writer(out, layout);
        w.start();
        return w;
    }

    /** An OID from parts: characters outside letters, digits, '.', '_' and '-' become '_'. */
    static String oid(String... parts) {
        StringBuilder b = new StringBuilder();
        for (String p : parts) {
            if (b.length() > 0) {
                b.append('.');
            }
            for (int i = 0; i < p.length(); i++) {
                char c = p.charAt(i);
                b.append(Character.isLetterOrDigit(c) && c < 0x80 || c == '.' || c == '_' || c == '-' ? c : '_');
            }
        }
        return b.toString();
    }

    static String formOid(String questionnaireId, String version) {
        return oid("F", questionnaireId, version);
    }

    static String groupOid(String questionnaireId, String version) {
        return oid("IG", questionnaireId, version);
    }

    static String itemOid(String questionnaireId, String version, String linkId) {
        return oid("I", questionnaireId, version, linkId);
    }

    static String scoreOid(String questionnaireId, String version, String scoreId) {
        return oid("I", questionnaireId, version, "score", scoreId);
    }

    static String codeListOid(String questionnaireId, String version, String linkId) {
        return oid("CL", questionnaireId, version, linkId);
    }

    /** The report group's items: what every form carries about the report itself. */
    enum ReportItem {
        VERSION("version", "integer", "Report version (1 = original, higher = amendment)"),
        STATUS("status", "text", "QuestionnaireResponse status"),
        SITE("siteId", "text", "Site id"),
        AUTHORED(
                "authored",
                "partialDatetime",
                "When the patient completed it, as their device sent it (with its UTC offset)"),
        AUTHORED_OFFSET("authoredOffset", "text", "The patient's UTC offset when completing it"),
        AUTHORED_DAY(
                "authoredDay",
                "integer",
                "Study day the patient completed it (day 1 = the day of the subject's first report)"),
        RECEIVED_DAY("receivedDay", "integer", "Study day the server received this version"),
        ON_TIME("onTime", "boolean", "Received within the questionnaire's submission window"),
        LANGUAGE(
                "language",
                "text",
                "The language the patient answered in (BCP 47 tag, QuestionnaireResponse.language)");

        final String name;
        final String dataType;
        final String description;

        ReportItem(String name, String dataType, String description) {
            this.name = name;
            this.dataType = dataType;
            this.description = description;
        }

        String oid() {
            return "I.REPORT." + name();
        }

        boolean in(ExportLayout layout) {
            boolean days = layout.profile().studyDays();
            return switch (this) {
                case AUTHORED, AUTHORED_OFFSET -> !days;
                case AUTHORED_DAY, RECEIVED_DAY -> days;
                default -> true;
            };
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // the fixed fragments of the clinical data, encoded once: the writer's hot loop only copies bytes
    private static final byte[] END_SUBJECT = ascii("</SubjectData>\n");
    private static final byte[] INSERT_OPEN = ascii("\" TransactionType=\"Insert\">");
    private static final byte[] UPDATE_OPEN = ascii("\" TransactionType=\"Update\">");
    private static final byte[] REPORT_GROUP_OPEN = ascii("<ItemGroupData ItemGroupOID=\"" + REPORT_GROUP + "\">");
    private static final byte[] ITEM_END = ascii("\"/>");
    private static final byte[] FORM_END = ascii("</ItemGroupData></FormData>");
    private static final byte[] VERSION_ITEM = itemOpen(ReportItem.VERSION.oid());
    private static final byte[] STATUS_ITEM = itemOpen(ReportItem.STATUS.oid());
    private static final byte[] SITE_ITEM = itemOpen(ReportItem.SITE.oid());
    private static final byte[] AUTHORED_ITEM = itemOpen(ReportItem.AUTHORED.oid());
    private static final byte[] OFFSET_ITEM = itemOpen(ReportItem.AUTHORED_OFFSET.oid());
    private static final byte[] AUTHORED_DAY_ITEM = itemOpen(ReportItem.AUTHORED_DAY.oid());
    private static final byte[] RECEIVED_DAY_ITEM = itemOpen(ReportItem.RECEIVED_DAY.oid());
    private static final byte[] LANGUAGE_ITEM = itemOpen(ReportItem.LANGUAGE.oid());
    private static final byte[] ON_TIME_TRUE =
            ascii("<ItemData ItemOID=\"" + ReportItem.ON_TIME.oid() + "\" Value=\"true\"/>");
    private static final byte[] ON_TIME_FALSE =
            ascii("<ItemData ItemOID=\"" + ReportItem.ON_TIME.oid() + "\" Value=\"false\"/>");

    /** {@code <ItemData ItemOID="oid" Value="}: what precedes a value. */
    private static byte[] itemOpen(String oid) {
        return ascii("<ItemData ItemOID=\"" + xmlEscaped(oid, true) + "\" Value=\"");
    }

    /** One questionnaire version's OID attributes, encoded once per export. */
    private static final class VersionOids {
        final byte[] studyEvent;
        final byte[] form;
        final byte[] group;
        final Map<String, byte[]> items = new HashMap<>();
        final Map<String, byte[]> scores = new HashMap<>();

        VersionOids(QuestionnaireDefinition q, Map<String, ItemDefinition> exported) {
            studyEvent = ascii("<StudyEventData StudyEventOID=\"" + xmlEscaped(oid("SE", q.id()), true)
                    + "\" StudyEventRepeatKey=\"");
            form = ascii(
                    "<FormData FormOID=\"" + xmlEscaped(formOid(q.id(), q.version()), true) + "\" FormRepeatKey=\"1");
            group = ascii("</ItemGroupData><ItemGroupData ItemGroupOID=\""
                    + xmlEscaped(groupOid(q.id(), q.version()), true) + "\">");
            for (String linkId : exported.keySet()) {
                items.put(linkId, itemOpen(itemOid(q.id(), q.version(), linkId)));
            }
            for (ScoreDefinition s : q.scores()) {
                scores.put(s.id(), itemOpen(scoreOid(q.id(), q.version(), s.id())));
            }
        }
    }

    private static final class Writer implements ExportWriter {
        private final Utf8Output out;
        private final ExportLayout layout;
        private final boolean deidentified;
        private final boolean identified;
        // the exported items of each questionnaire version, by canonical and linkId (free text left out when dropped)
        private final Map<String, Map<String, ItemDefinition>> items = new LinkedHashMap<>();
        private final Map<String, QuestionnaireDefinition> versions = new LinkedHashMap<>();
        private final Map<String, VersionOids> oidsByVersion = new HashMap<>();
        // the opening of an audit record up to its time stamp, by site
        private final Map<String, byte[]> locationRefs = new HashMap<>();
        private String lastCanonical;
        private VersionOids lastOids;
        private String subject;
        private int eventInSubject;
        // the StudyEventData open now (the report whose versions are being written), or null
        private String openReport;
        private boolean eventOpen;

        Writer(OutputStream target, ExportLayout layout) {
            this.out = new Utf8Output(target, 64 * 1024);
            this.layout = layout;
            this.deidentified = layout.profile().studyDays();
            this.identified = !layout.profile().pseudonymous();
            for (QuestionnaireDefinition q : layout.definitions()) {
                versions.put(q.canonical(), q);
                Map<String, ItemDefinition> own = new LinkedHashMap<>();
                for (ItemDefinition item : q.answerableItems().values()) {
                    if (!(layout.profile().dropsFreeText() && item.type().freeText())) {
                        own.put(item.linkId(), item);
                    }
                }
                items.put(q.canonical(), own);
            }
        }

        private ExportLayout.Facts facts() {
            ExportLayout.Facts f = layout.facts();
            return f != null ? f : new ExportLayout.Facts("STUDY", List.of(), Instant.now(), "export");
        }

        void start() throws IOException {
            ExportLayout.Facts f = facts();
            raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
            raw("<ODM xmlns=\"" + NAMESPACE + "\" ODMVersion=\"1.3.2\" FileType=\"Transactional\" Granularity=\"All\"");
            attr("FileOID", oid("OpenEPRO", "export", f.exportId()));
            attr("CreationDateTime", Instant.now().toString());
            if (!deidentified) {
                attr("AsOfDateTime", f.asOf().toString());
            }
            attr("Originator", "OpenEPRO");
            attr("SourceSystem", "OpenEPRO");
            raw(">\n");
            study(f);
            if (!deidentified) {
                adminData(f);
            }
            raw("<ClinicalData");
            attr("StudyOID", oid("ST", f.studyId()));
            attr("MetaDataVersionOID", MDV);
            raw(">\n");
        }

        private void study(ExportLayout.Facts f) throws IOException {
            raw("<Study");
            attr("OID", oid("ST", f.studyId()));
            raw("><GlobalVariables><StudyName>");
            text(f.studyId());
            raw("</StudyName><StudyDescription>");
            text("OpenEPRO patient-reported outcomes of study " + f.studyId() + ", profile "
                    + layout.profile().code());
            raw("</StudyDescription><ProtocolName>");
            text(f.studyId());
            raw("</ProtocolName></GlobalVariables>\n");
            raw("<MetaDataVersion");
            attr("OID", MDV);
            attr("Name", "OpenEPRO questionnaires");
            attr("Description", "Generated from the questionnaire versions this export holds");
            raw(">\n<Protocol>");
            Map<String, List<QuestionnaireDefinition>> byId = new LinkedHashMap<>();
            versions.values()
                    .forEach(q ->
                            byId.computeIfAbsent(q.id(), k -> new ArrayList<>()).add(q));
            int order = 1;
            for (String qid : byId.keySet()) {
                raw("<StudyEventRef");
                attr("StudyEventOID", oid("SE", qid));
                attr("OrderNumber", Integer.toString(order++));
                attr("Mandatory", "No");
                raw("/>");
            }
            raw("</Protocol>\n");
            for (Map.Entry<String, List<QuestionnaireDefinition>> e : byId.entrySet()) {
                QuestionnaireDefinition first = e.getValue().get(0);
                raw("<StudyEventDef");
                attr("OID", oid("SE", e.getKey()));
                attr("Name", name(first));
                attr("Repeating", "Yes");
                attr("Type", "Unscheduled");
                raw(">");
                for (QuestionnaireDefinition q : e.getValue()) {
                    raw("<FormRef");
                    attr("FormOID", formOid(q.id(), q.version()));
                    attr("Mandatory", "No");
                    raw("/>");
                }
                raw("</StudyEventDef>\n");
            }
            for (QuestionnaireDefinition q : versions.values()) {
                raw("<FormDef");
                attr("OID", formOid(q.id(), q.version()));
                attr("Name", name(q) + " " + q.version());
                attr("Repeating", "No");
                raw("><ItemGroupRef");
                attr("ItemGroupOID", REPORT_GROUP);
                attr("OrderNumber", "1");
                attr("Mandatory", "Yes");
                raw("/><ItemGroupRef");
                attr("ItemGroupOID", groupOid(q.id(), q.version()));
                attr("OrderNumber", "2");
                attr("Mandatory", "Yes");
                raw("/><Alias");
                attr("Context", "FHIR Questionnaire");
                attr("Name", q.canonical());
                raw("/></FormDef>\n");
            }
            reportGroup();
            for (QuestionnaireDefinition q : versions.values()) {
                questionnaireGroup(q);
            }
            for (ReportItem ri : ReportItem.values()) {
                if (!ri.in(layout)) {
                    continue;
                }
                raw("<ItemDef");
                attr("OID", ri.oid());
                attr("Name", ri.name);
                attr("DataType", ri.dataType);
                raw("><Description><TranslatedText xml:lang=\"en\">");
                text(ri.description);
                raw("</TranslatedText></Description></ItemDef>\n");
            }
            for (QuestionnaireDefinition q : versions.values()) {
                for (ItemDefinition item : items.get(q.canonical()).values()) {
                    itemDef(q, item);
                }
                for (ScoreDefinition s : q.scores()) {
                    raw("<ItemDef");
                    attr("OID", scoreOid(q.id(), q.version(), s.id()));
                    attr("Name", "score." + s.id());
                    attr("DataType", s.method() == ScoreMethod.PROFILE ? "text" : "float");
                    attr("Origin", "Derived");
                    attr(
                            "Comment",
                            s.method().name().toLowerCase(java.util.Locale.ROOT) + " of "
                                    + String.join(", ", s.linkIds()));
                    raw("><Description><TranslatedText xml:lang=\"en\">");
                    text(s.title());
                    raw("</TranslatedText></Description></ItemDef>\n");
                }
            }
            for (QuestionnaireDefinition q : versions.values()) {
                for (ItemDefinition item : items.get(q.canonical()).values()) {
                    if (item.type() == ItemType.CHOICE && !item.options().isEmpty()) {
                        codeList(q, item);
                    }
                }
            }
            raw("</MetaDataVersion>\n</Study>\n");
        }

        private static String name(QuestionnaireDefinition q) {
            return q.title() != null ? q.title() : q.name() != null ? q.name() : q.id();
        }

        private void reportGroup() throws IOException {
            raw("<ItemGroupDef");
            attr("OID", REPORT_GROUP);
            attr("Name", "Report");
            attr("Repeating", "No");
            raw(">");
            int order = 1;
            for (ReportItem ri : ReportItem.values()) {
                if (ri.in(layout)) {
                    raw("<ItemRef");
                    attr("ItemOID", ri.oid());
                    attr("OrderNumber", Integer.toString(order++));
                    attr("Mandatory", ri == ReportItem.VERSION || ri == ReportItem.STATUS ? "Yes" : "No");
                    raw("/>");
                }
            }
            raw("</ItemGroupDef>\n");
        }

        private void questionnaireGroup(QuestionnaireDefinition q) throws IOException {
            raw("<ItemGroupDef");
            attr("OID", groupOid(q.id(), q.version()));
            attr("Name", name(q));
            attr("Repeating", "No");
            raw(">");
            int order = 1;
            for (ItemDefinition item : items.get(q.canonical()).values()) {
                raw("<ItemRef");
                attr("ItemOID", itemOid(q.id(), q.version(), item.linkId()));
                attr("OrderNumber", Integer.toString(order++));
                attr("Mandatory", item.required() ? "Yes" : "No");
                raw("/>");
            }
            for (ScoreDefinition s : q.scores()) {
                raw("<ItemRef");
                attr("ItemOID", scoreOid(q.id(), q.version(), s.id()));
                attr("OrderNumber", Integer.toString(order++));
                attr("Mandatory", "No");
                raw("/>");
            }
            raw("</ItemGroupDef>\n");
        }

        private String dataType(ItemType type) {
            return switch (type) {
                case CHOICE, OPEN_CHOICE, STRING, TEXT -> "text";
                case INTEGER -> "integer";
                case DECIMAL, QUANTITY -> "float";
                case TIME -> "time";
                case BOOLEAN -> "boolean";
                // FHIR dates may be partial (2026, 2026-03); de-identified, they are study days
                case DATE -> deidentified ? "integer" : "partialDate";
                case DATETIME -> deidentified ? "integer" : "partialDatetime";
                // a type added to the subset later is carried as text until it gets its own mapping
                default -> "text";
            };
        }

        private void itemDef(QuestionnaireDefinition q, ItemDefinition item) throws IOException {
            raw("<ItemDef");
            attr("OID", itemOid(q.id(), q.version(), item.linkId()));
            attr("Name", item.linkId());
            attr("DataType", dataType(item.type()));
            if (item.maxLength() != null && item.type().freeText()) {
                attr("Length", Integer.toString(item.maxLength()));
            }
            if (deidentified && (item.type() == ItemType.DATE || item.type() == ItemType.DATETIME)) {
                attr("Comment", "Study day (day 1 = the day of the subject's first report), not a date");
            }
            raw(">");
            if (item.text() != null) {
                raw("<Question><TranslatedText xml:lang=\"en\">");
                text(item.text());
                raw("</TranslatedText></Question>");
            }
            if (item.minValue() != null) {
                rangeCheck("GE", item.minValue());
            }
            if (item.maxValue() != null) {
                rangeCheck("LE", item.maxValue());
            }
            if (item.type() == ItemType.CHOICE && !item.options().isEmpty()) {
                raw("<CodeListRef");
                attr("CodeListOID", codeListOid(q.id(), q.version(), item.linkId()));
                raw("/>");
            }
            if (item.code() != null) {
                raw("<Alias");
                attr("Context", "code");
                attr("Name", item.code());
                raw("/>");
            }
            raw("</ItemDef>\n");
        }

        private void rangeCheck(String comparator, BigDecimal value) throws IOException {
            raw("<RangeCheck");
            attr("Comparator", comparator);
            attr("SoftHard", "Hard");
            raw("><CheckValue>");
            text(value.toPlainString());
            raw("</CheckValue></RangeCheck>");
        }

        private void codeList(QuestionnaireDefinition q, ItemDefinition item) throws IOException {
            raw("<CodeList");
            attr("OID", codeListOid(q.id(), q.version(), item.linkId()));
            attr("Name", item.linkId());
            attr("DataType", "text");
            raw(">");
            int order = 1;
            for (AnswerOption o : item.options()) {
                raw("<CodeListItem");
                attr("CodedValue", o.code());
                if (o.ordinal() != null) {
                    // the option's published score
                    attr("Rank", o.ordinal().toPlainString());
                }
                attr("OrderNumber", Integer.toString(order++));
                raw("><Decode><TranslatedText xml:lang=\"en\">");
                text(o.display() != null ? o.display() : o.code());
                raw("</TranslatedText></Decode></CodeListItem>");
            }
            raw("</CodeList>\n");
        }

        private void adminData(ExportLayout.Facts f) throws IOException {
            raw("<AdminData");
            attr("StudyOID", oid("ST", f.studyId()));
            raw("><User");
            attr("OID", PATIENT_USER);
            attr("UserType", "Other");
            raw("><DisplayName>");
            text("The subject, through the patient app");
            raw("</DisplayName></User>\n");
            String effective = f.asOf().toString().substring(0, 10);
            for (String site : f.sites()) {
                raw("<Location");
                attr("OID", oid("LOC", site));
                attr("Name", site);
                attr("LocationType", "Site");
                raw("><MetaDataVersionRef");
                attr("StudyOID", oid("ST", f.studyId()));
                attr("MetaDataVersionOID", MDV);
                attr("EffectiveDate", effective);
                raw("/></Location>\n");
            }
            raw("</AdminData>\n");
        }

        @Override
        public void write(ExportRecord r) throws IOException {
            VersionOids q = oids(r.questionnaireCanonical());
            if (q == null) {
                return; // a version the metadata does not describe (cannot happen: it is built from what was read)
            }
            boolean sameReport = eventOpen
                    && r.reportId() != null
                    && r.reportId().equals(openReport)
                    && r.subject().equals(subject);
            if (!sameReport) {
                closeEvent();
                if (!r.subject().equals(subject)) {
                    if (subject != null) {
                        out.writeAscii(END_SUBJECT);
                    }
                    subject = r.subject();
                    eventInSubject = 0;
                    raw("<SubjectData");
                    attr("SubjectKey", subject);
                    raw(" TransactionType=\"Insert\">\n");
                }
                eventInSubject++;
                out.writeAscii(q.studyEvent);
                // de-identified: no report id, so the report's place in the subject's own sequence
                if (r.reportId() != null) {
                    escape(r.reportId(), true);
                } else {
                    out.writeLong(eventInSubject);
                }
                out.writeAscii(INSERT_OPEN);
                eventOpen = true;
                openReport = r.reportId();
            }
            out.writeAscii(q.form);
            out.writeAscii(r.version() > 1 ? UPDATE_OPEN : INSERT_OPEN);
            if (!deidentified) {
                auditRecord(r);
            }
            out.writeAscii(REPORT_GROUP_OPEN);
            out.writeAscii(VERSION_ITEM);
            out.writeLong(r.version());
            out.writeAscii(ITEM_END);
            item(STATUS_ITEM, r.status());
            item(SITE_ITEM, r.siteId());
            if (deidentified) {
                if (r.authoredDay() != null) {
                    out.writeAscii(AUTHORED_DAY_ITEM);
                    out.writeLong(r.authoredDay());
                    out.writeAscii(ITEM_END);
                }
                if (r.receivedDay() != null) {
                    out.writeAscii(RECEIVED_DAY_ITEM);
                    out.writeLong(r.receivedDay());
                    out.writeAscii(ITEM_END);
                }
            } else {
                item(AUTHORED_ITEM, r.authored());
                item(OFFSET_ITEM, r.authoredOffset());
            }
            out.writeAscii(r.onTime() ? ON_TIME_TRUE : ON_TIME_FALSE);
            item(LANGUAGE_ITEM, r.language());
            out.writeAscii(q.group);
            List<Answer> answers = r.answers();
            for (int i = 0; i < answers.size(); i++) {
                Answer a = answers.get(i);
                byte[] open = q.items.get(a.linkId());
                if (open != null) {
                    out.writeAscii(open);
                    value(a);
                    out.writeAscii(ITEM_END);
                }
            }
            List<Score> scores = r.scores();
            for (int i = 0; i < scores.size(); i++) {
                Score sc = scores.get(i);
                byte[] open = q.scores.get(sc.id());
                if (open != null) {
                    out.writeAscii(open);
                    if (sc.value() != null) {
                        out.writeDecimal(sc.value());
                    } else {
                        escape(sc.profile(), true);
                    }
                    out.writeAscii(ITEM_END);
                }
            }
            out.writeAscii(FORM_END);
        }

        /** The pre-encoded OID attributes of one questionnaire version (the last one asked for is kept at hand). */
        private VersionOids oids(String canonical) {
            if (canonical.equals(lastCanonical)) {
                return lastOids;
            }
            VersionOids v = oidsByVersion.get(canonical);
            if (v == null) {
                QuestionnaireDefinition q = versions.get(canonical);
                if (q == null) {
                    return null;
                }
                v = new VersionOids(q, items.get(canonical));
                oidsByVersion.put(canonical, v);
            }
            lastCanonical = canonical;
            lastOids = v;
            return v;
        }

        private void item(byte[] open, String value) throws IOException {
            if (value != null) {
                out.writeAscii(open);
                escape(value, true);
                out.writeAscii(ITEM_END);
            }
        }

        private void closeEvent() throws IOException {
            if (eventOpen) {
                raw("</StudyEventData>\n");
                eventOpen = false;
                openReport = null;
            }
        }

        private void auditRecord(ExportRecord r) throws IOException {
            out.writeAscii(locationRefs.computeIfAbsent(
                    r.siteId(),
                    site -> ascii("<AuditRecord><UserRef UserOID=\""
                            + PATIENT_USER + "\"/><LocationRef LocationOID=\"" + xmlEscaped(oid("LOC", site), true)
                            + "\"/><DateTimeStamp>")));
            out.writeInstant(r.receivedAt());
            raw("</DateTimeStamp>");
            if (r.amendmentReason() != null) {
                raw("<ReasonForChange>");
                text(r.amendmentReason());
                raw("</ReasonForChange>");
            }
            raw("<SourceID>");
            text(identified && r.submittedBy() != null ? "token subject " + r.submittedBy() : "OpenEPRO patient app");
            raw("</SourceID></AuditRecord>");
        }

        private void value(Answer a) throws IOException {
            switch (a.type()) {
                case CHOICE -> escape(a.code(), true);
                case OPEN_CHOICE -> escape(a.code() != null ? a.code() : Objects.toString(a.text(), ""), true);
                case INTEGER, DECIMAL, QUANTITY -> out.writeDecimal(a.number());
                case BOOLEAN -> raw(Boolean.TRUE.equals(a.bool()) ? "true" : "false");
                case DATE, DATETIME -> {
                    if (a.text() != null) {
                        escape(a.text(), true);
                    } else if (a.number() != null) {
                        out.writeLong(a.number().longValue());
                    }
                }
                default -> escape(Objects.toString(a.text(), ""), true);
            }
        }

        private void raw(String s) throws IOException {
            out.writeUtf8(s);
        }

        private void attr(String name, String value) throws IOException {
            out.write((byte) ' ');
            raw(name);
            raw("=\"");
            escape(value, true);
            out.write((byte) '"');
        }

        private void text(String s) throws IOException {
            escape(s, false);
        }

        private void escape(String s, boolean attribute) throws IOException {
            if (s == null) {
                return;
            }
            // the common case, plain ASCII without markup, in one pass; anything else escaped precisely
            if (plain(s) && out.writePlainAscii(s, true)) {
                return;
            }
            out.writeUtf8(xmlEscaped(s, attribute));
        }

        private static boolean plain(String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '&' || c == '<' || c == '>') {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String suspend() {
            throw new UnsupportedOperationException("an ODM file cannot be suspended");
        }

        @Override
        public void finish() throws IOException {
            closeEvent();
            if (subject != null) {
                raw("</SubjectData>\n");
            }
            raw("</ClinicalData>\n</ODM>\n");
            out.flush();
        }
    }

    /**
     * Text escaped for XML 1.0: markup characters as entities (and, in attributes, quotes and white space
     * that attribute normalisation would fold); characters XML 1.0 cannot carry as U+FFFD.
     */
    static String xmlEscaped(String s, boolean attribute) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append(attribute ? "&quot;" : "\"");
                case '\t' -> b.append(attribute ? "&#9;" : "\t");
                case '\n' -> b.append(attribute ? "&#10;" : "\n");
                case '\r' -> b.append("&#13;");
                default -> {
                    if (c < 0x20 || c == 0xFFFE || c == 0xFFFF) {
                        b.append('\uFFFD');
                    } else if (Character.isHighSurrogate(c)
                            && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        b.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        b.append('\uFFFD');
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
