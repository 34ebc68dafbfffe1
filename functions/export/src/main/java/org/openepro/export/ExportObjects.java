package org.openepro.export;

import org.openepro.export.format.DataDictionary;

/**
 * S3 keys and file names of an export: built from the export id alone, so no key, object name
 * or download name carries a study's, site's or subject's identity. Everything lives under
 * {@code exports/}, which the bucket's lifecycle empties after a day.
 */
public final class ExportObjects {
    public static final String PREFIX = "exports/";

    private ExportObjects() {}

    public static String dataKey(String exportId, String extension) {
        return PREFIX + exportId + "/" + dataName(extension);
    }

    /** The data object's name within its export's folder (the stored manifest's relative url). */
    public static String dataName(String extension) {
        return "data." + extension;
    }

    /** The API resource of an export: its status, and a fresh audited download link on each GET. */
    public static String apiPath(String exportId) {
        return "/v1/exports/" + exportId;
    }

    public static String manifestKey(String exportId) {
        return PREFIX + exportId + "/manifest.json";
    }

    /** The unfinished part saved at a suspension; one per segment, so a crashed segment cannot overwrite a saved one. */
    public static String tailKey(String exportId, int segment) {
        return PREFIX + exportId + "/tail-" + segment + ".bin";
    }

    /** The data dictionary every export writes beside its file. */
    public static String dictionaryKey(String exportId) {
        return PREFIX + exportId + "/" + DataDictionary.CSV_NAME;
    }

    /** Where a sorting export keeps its sorted runs until they are merged (one folder per segment). */
    public static String scratchPrefix(String exportId, int segment) {
        return PREFIX + exportId + "/scratch-" + segment + "/";
    }

    /** The subjects a suspended segment had seen (the manifest counts them), one object per segment. */
    public static String subjectsKey(String exportId, int segment) {
        return PREFIX + exportId + "/subjects-" + segment + ".txt";
    }

    /** The name a browser saves the dictionary as. */
    public static String dictionaryFileName(String exportId) {
        return "openepro-export-" + exportId + "-dictionary.csv";
    }

    /** The name a browser saves the download as. */
    public static String fileName(String exportId, String extension) {
        return "openepro-export-" + exportId + "." + extension;
    }
}
