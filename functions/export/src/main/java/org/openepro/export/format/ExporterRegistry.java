package org.openepro.export.format;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The export formats by name: the API validates against it, the worker picks the writer from it. */
public final class ExporterRegistry {
    private final Map<String, Exporter> byName;

    public ExporterRegistry(List<Exporter> exporters) {
        Map<String, Exporter> map = new LinkedHashMap<>();
        for (Exporter e : exporters) {
            if (map.put(e.name(), e) != null) {
                throw new IllegalArgumentException("two exporters named " + e.name());
            }
        }
        this.byName = Map.copyOf(map);
    }

    /** Every format OpenEPRO ships. A new format is one class added here. */
    public static ExporterRegistry standard() {
        return new ExporterRegistry(List.of(
                new CsvExporter(),
                new JsonExporter(),
                new NdjsonExporter(),
                new XlsxExporter(),
                new FhirNdjsonExporter(),
                new OdmXmlExporter(),
                new StatisticsPackageExporter(StatisticsPackageExporter.Program.SPSS),
                new StatisticsPackageExporter(StatisticsPackageExporter.Program.SAS),
                new StatisticsPackageExporter(StatisticsPackageExporter.Program.STATA),
                new StatisticsPackageExporter(StatisticsPackageExporter.Program.R),
                new AuditCsvExporter(),
                new ComplianceCsvExporter()));
    }

    public Optional<Exporter> find(String name) {
        return Optional.ofNullable(name == null ? null : byName.get(name));
    }

    public Set<String> names() {
        return new java.util.TreeSet<>(byName.keySet());
    }
}
