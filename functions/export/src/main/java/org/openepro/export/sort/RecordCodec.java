package org.openepro.export.sort;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.openepro.core.questionnaire.ItemType;
import org.openepro.core.report.Answer;
import org.openepro.core.report.Score;
import org.openepro.export.format.ExportRecord;

/**
 * A compact binary form of an {@link ExportRecord} (after its profile was applied), for the sorted runs a
 * sorting export spills to scratch objects: what is spilled is exactly what the export itself will hold.
 */
final class RecordCodec {
    private static final ItemType[] TYPES = ItemType.values();

    private RecordCodec() {}

    static void write(DataOutputStream out, long seq, ExportRecord r) throws IOException {
        out.writeLong(seq);
        str(out, r.reportId());
        out.writeInt(r.version());
        str(out, r.status());
        str(out, r.subject());
        str(out, r.siteId());
        str(out, r.questionnaireId());
        str(out, r.questionnaireUrl());
        str(out, r.questionnaireVersion());
        str(out, r.authored());
        instant(out, r.authoredAt());
        integer(out, r.authoredDay());
        instant(out, r.receivedAt());
        integer(out, r.receivedDay());
        out.writeBoolean(r.onTime());
        out.writeInt(r.answers().size());
        for (Answer a : r.answers()) {
            str(out, a.linkId());
            out.writeByte(a.type().ordinal());
            decimal(out, a.number());
            str(out, a.code());
            str(out, a.system());
            str(out, a.display());
            str(out, a.text());
            out.writeByte(a.bool() == null ? 2 : a.bool() ? 1 : 0);
            out.writeBoolean(a.branchSkipped());
        }
        out.writeInt(r.scores().size());
        for (Score s : r.scores()) {
            str(out, s.id());
            decimal(out, s.value());
            str(out, s.profile());
            str(out, s.band());
            str(out, s.bandDisplay());
        }
        str(out, r.amendmentReason());
        str(out, r.submittedBy());
        str(out, r.language());
        str(out, r.taskId());
        str(out, r.windowVerdict());
    }

    /** The next record, or null at the end of the run. */
    static Sorted read(DataInputStream in) throws IOException {
        long seq;
        try {
            seq = in.readLong();
        } catch (EOFException end) {
            return null;
        }
        String reportId = str(in);
        int version = in.readInt();
        String status = str(in);
        String subject = str(in);
        String site = str(in);
        String qid = str(in);
        String qurl = str(in);
        String qversion = str(in);
        String authored = str(in);
        Instant authoredAt = instant(in);
        Integer authoredDay = integer(in);
        Instant receivedAt = instant(in);
        Integer receivedDay = integer(in);
        boolean onTime = in.readBoolean();
        int n = in.readInt();
        List<Answer> answers = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String linkId = str(in);
            ItemType type = TYPES[in.readByte()];
            BigDecimal number = decimal(in);
            String code = str(in);
            String system = str(in);
            String display = str(in);
            String text = str(in);
            byte b = in.readByte();
            boolean branchSkipped = in.readBoolean();
            answers.add(new Answer(
                    linkId, type, number, code, system, display, text, b == 2 ? null : b == 1, branchSkipped));
        }
        int m = in.readInt();
        List<Score> scores = new ArrayList<>(m);
        for (int i = 0; i < m; i++) {
            scores.add(new Score(str(in), decimal(in), str(in), str(in), str(in)));
        }
        String reason = str(in);
        String submittedBy = str(in);
        String language = str(in);
        String taskId = str(in);
        String windowVerdict = str(in);
        return new Sorted(
                seq,
                new ExportRecord(
                        reportId,
                        version,
                        status,
                        subject,
                        site,
                        qid,
                        qurl,
                        qversion,
                        authored,
                        authoredAt,
                        authoredDay,
                        receivedAt,
                        receivedDay,
                        onTime,
                        answers,
                        scores,
                        reason,
                        submittedBy,
                        language,
                        taskId,
                        windowVerdict));
    }

    private static void str(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String str(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static void instant(DataOutputStream out, Instant t) throws IOException {
        out.writeBoolean(t != null);
        if (t != null) {
            out.writeLong(t.getEpochSecond());
            out.writeInt(t.getNano());
        }
    }

    private static Instant instant(DataInputStream in) throws IOException {
        return in.readBoolean() ? Instant.ofEpochSecond(in.readLong(), in.readInt()) : null;
    }

    private static void integer(DataOutputStream out, Integer v) throws IOException {
        out.writeBoolean(v != null);
        if (v != null) {
            out.writeInt(v);
        }
    }

    private static Integer integer(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readInt() : null;
    }

    private static void decimal(DataOutputStream out, BigDecimal d) throws IOException {
        str(out, d == null ? null : d.toString());
    }

    private static BigDecimal decimal(DataInputStream in) throws IOException {
        String s = str(in);
        return s == null ? null : new BigDecimal(s);
    }

    /** A record with its position in the order it was read, which breaks ties so the sort is stable. */
    record Sorted(long seq, ExportRecord record) {}
}
