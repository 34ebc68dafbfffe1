package org.openepro.export.format;

import java.io.IOException;
import java.io.OutputStream;

/**
 * One export format. Stateless and thread-safe: {@link #open} starts (or resumes) one file.
 * Registered by name in {@link ExporterRegistry}; adding a format touches no handler.
 */
public interface Exporter {
    /**
     * What a format is.
     *
     * @param name         the request's {@code format} value, e.g. {@code csv}
     * @param manifestType the resource type a FHIR Bulk Data manifest lists for the file
     * @param resumable    whether a file can be suspended at a row boundary and continued by another
     *                     process; a format whose encoder state cannot be saved (xlsx: a zip stream)
     *                     must finish in one invocation
     */
    record Format(String name, String fileExtension, String contentType, String manifestType, boolean resumable) {}

    Format format();

    /** What a format's file is made from. */
    enum Source {
        /** The study's reports, from the projections, through {@link #open} and the profiles. */
        REPORTS,
        /** The study's audit trail as stored (ids and codes, never answers): {@link AuditCsvExporter}. */
        AUDIT_TRAIL,
        /** The study's schedule compliance counters (counts, never answers): {@link ComplianceCsvExporter}. */
        COMPLIANCE
    }

    /** What this format exports; the worker reads that source and the API applies that source's access rule. */
    default Source source() {
        return Source.REPORTS;
    }

    default String name() {
        return format().name();
    }

    default String fileExtension() {
        return format().fileExtension();
    }

    default String contentType() {
        return format().contentType();
    }

    default String manifestType() {
        return format().manifestType();
    }

    default boolean resumable() {
        return format().resumable();
    }

    /**
     * The file this format writes in a layout (a text format's per-questionnaire layout is a zip of
     * files); what names the object, its download and its media type.
     */
    default Format format(TableLayout layout) {
        return format();
    }

    /** The zip a text format's per-questionnaire layout writes: one file per questionnaire, not resumable. */
    static Format zipOf(Format f) {
        return new Format(f.name(), "zip", "application/zip", f.manifestType(), false);
    }

    /**
     * The order this format needs the records in, or null to take them as the projections hold them
     * (streamed, and resumable when the format is). Per questionnaire: grouped by questionnaire. A format
     * that orders is written after everything was read (an external sort with bounded memory) and must
     * finish within one invocation.
     */
    default java.util.Comparator<ExportRecord> order(TableLayout layout) {
        return layout == TableLayout.PER_QUESTIONNAIRE
                ? java.util.Comparator.comparing(ExportRecord::questionnaireId)
                : null;
    }

    /**
     * Whether the format shows every version of an amended report (its audit trail), not only the latest
     * one the projections hold: the worker then reads the earlier versions from the reports table and hands
     * them over right before the latest, oldest first. Only with a profile that keeps report ids (without
     * them the versions of one report cannot be told apart from other reports).
     */
    default boolean history() {
        return false;
    }

    /** The request {@code layout}s this format can write; a document format (FHIR, ODM) has its own shape: wide only. */
    default java.util.Set<TableLayout> layouts() {
        return java.util.EnumSet.of(TableLayout.WIDE);
    }

    /**
     * Starts a file, or continues one from the state a previous {@link ExportWriter#suspend()}
     * returned (then nothing that was already written is written again).
     */
    ExportWriter open(OutputStream out, ExportLayout layout, String resumeState) throws IOException;
}
