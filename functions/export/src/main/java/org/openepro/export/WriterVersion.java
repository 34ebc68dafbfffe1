package org.openepro.export;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The OpenEPRO version this build is (from the build's resource), named in every export's manifest. */
final class WriterVersion {
    private static final String CURRENT = load();

    private WriterVersion() {}

    /** {@code OpenEPRO <version>}, e.g. {@code OpenEPRO 0.1.0-SNAPSHOT}. */
    static String current() {
        return CURRENT;
    }

    private static String load() {
        Properties p = new Properties();
        try (InputStream in = WriterVersion.class.getResourceAsStream("openepro-version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // an unreadable resource names the version unknown rather than failing the export
        }
        String v = p.getProperty("version");
        return "OpenEPRO " + (v == null || v.startsWith("${") ? "unknown" : v);
    }
}
