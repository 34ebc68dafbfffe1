package org.openepro.export.format;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A text format's per-questionnaire layout: a zip holding one file per questionnaire, each written by
 * the format's own writer with only that questionnaire's columns, then the data dictionary. Records
 * arrive grouped by questionnaire (the worker sorts them first), so one entry is open at a time and
 * memory holds one row. Not resumable: a zip stream's deflate state cannot be saved.
 */
final class ZippedTables implements ExportWriter {
    /** Opens a format's writer on one entry of the zip. */
    interface EntryWriter {
        ExportWriter open(OutputStream entry, ExportLayout table) throws IOException;
    }

    private final ZipOutputStream zip;
    private final ExportLayout layout;
    private final String extension;
    private final EntryWriter entries;
    private final List<String> written = new ArrayList<>();
    private final List<Entry> contents = new ArrayList<>();
    private String current;
    private ExportWriter writer;
    private HashingOutput entry;
    private long entryRows;

    ZippedTables(OutputStream out, ExportLayout layout, String extension, EntryWriter entries) {
        this.zip = new ZipOutputStream(UnclosableOutput.flushing(out), java.nio.charset.StandardCharsets.UTF_8);
        // exports are short-lived downloads: trade a little size for a lot of CPU
        zip.setLevel(Deflater.BEST_SPEED);
        this.layout = layout;
        this.extension = extension;
        this.entries = entries;
    }

    @Override
    public void write(ExportRecord record) throws IOException {
        String qid = record.questionnaireId();
        if (!qid.equals(current)) {
            ExportLayout table = layout.table(qid);
            if (table == null) {
                return; // a questionnaire this export does not cover (cannot happen: the query filters on them)
            }
            if (written.contains(qid)) {
                throw new IllegalStateException("records of one questionnaire must arrive together");
            }
            closeEntry();
            openEntry(entryName(qid, extension));
            writer = entries.open(entry, table);
            current = qid;
            written.add(qid);
        }
        writer.write(record);
        entryRows += layout.rowsOf(record);
    }

    private void openEntry(String name) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        entry = new HashingOutput(UnclosableOutput.flushing(zip));
        entryRows = 0;
        currentName = name;
    }

    private String currentName;

    /** Closes the open entry, recording its name, size, hash and rows. */
    private void endEntry(long rows) throws IOException {
        entry.flush();
        zip.closeEntry();
        contents.add(new Entry(currentName, entry.bytes(), entry.sha256Hex(), rows));
        entry = null;
    }

    /** The name of a questionnaire's file: its id (letters, digits, '.', '_', '-' only) and the format's extension. */
    static String entryName(String questionnaireId, String extension) {
        return questionnaireId.replaceAll("[^A-Za-z0-9._-]", "_") + "." + extension;
    }

    private void closeEntry() throws IOException {
        if (writer != null) {
            writer.finish();
            endEntry(entryRows);
            writer = null;
        }
    }

    @Override
    public String suspend() {
        throw new UnsupportedOperationException("a zip cannot be suspended");
    }

    @Override
    public void finish() throws IOException {
        closeEntry();
        // every exported questionnaire gets its file, with its header, even without rows
        for (String qid : layout.tableIds()) {
            if (!written.contains(qid)) {
                openEntry(entryName(qid, extension));
                entries.open(entry, layout.table(qid)).finish();
                endEntry(0);
                written.add(qid);
            }
        }
        DataDictionary dictionary = DataDictionary.of(layout);
        openEntry(DataDictionary.CSV_NAME);
        dictionary.writeCsv(entry);
        endEntry(dictionary.entries().size());
        zip.finish();
        zip.flush();
    }

    @Override
    public List<Entry> contents() {
        return List.copyOf(contents);
    }
}
