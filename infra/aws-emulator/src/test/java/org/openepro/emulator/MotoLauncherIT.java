package org.openepro.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher starts only on the moto its patches were written for. */
class MotoLauncherIT {

    @Test
    void refusesToStartOnAnotherMotoVersionAndSaysWhy(@TempDir Path dir) throws Exception {
        // GIVEN a moto package of another version ahead of the virtualenv's on the path
        Path fake = Files.createDirectories(dir.resolve("moto"));
        Files.writeString(fake.resolve("__init__.py"), "__version__ = \"5.3.0\"\n");

        // WHEN the launcher starts
        ProcessBuilder builder = new ProcessBuilder(
                        ProjectPaths.venvBin("python").toString(),
                        ProjectPaths.root()
                                .resolve("infra/aws-emulator/moto_launcher.py")
                                .toString(),
                        "-p",
                        "0")
                .redirectErrorStream(true);
        builder.environment().put("PYTHONPATH", dir.toString());
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS))
                .as("the launcher exits")
                .isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        // THEN it exits non-zero, naming both versions, before serving anything
        assertThat(process.exitValue()).isNotZero();
        assertThat(output).contains("written for moto 5.2.5, found moto 5.3.0");
    }
}
