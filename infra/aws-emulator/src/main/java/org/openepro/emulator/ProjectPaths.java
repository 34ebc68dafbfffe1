package org.openepro.emulator;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository root (where template.yaml lives) and the project's Python virtualenv. */
public final class ProjectPaths {
    private ProjectPaths() {}

    public static Path root() {
        String configured = System.getProperty("epro.root");
        if (configured != null
                && !configured.isBlank()
                && Files.isRegularFile(Path.of(configured).resolve("template.yaml"))) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("template.yaml")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the repository root (template.yaml): set -Depro.root");
    }

    public static Path template() {
        return root().resolve("template.yaml");
    }

    /** The virtualenv `make` installs infra/requirements.txt into; EPRO_VENV overrides it. */
    public static Path venv() {
        String configured = System.getenv("EPRO_VENV");
        Path venv = configured != null && !configured.isBlank() ? Path.of(configured) : root().resolve(".venv");
        if (!Files.isDirectory(venv.resolve("bin"))) {
            throw new IllegalStateException("no Python virtualenv at " + venv + ": run `make venv` first");
        }
        return venv;
    }

    public static Path venvBin(String program) {
        return venv().resolve("bin").resolve(program);
    }
}
