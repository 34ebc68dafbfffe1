package org.openepro.runtime.lambda;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.openepro.emulator.ProjectPaths;

/**
 * Lambda's managed {@code java25} runtime on this machine: a JDK 25 {@code java}, the pinned AWS
 * Lambda Runtime Interface Client with its own dependencies on the system classpath (never in a
 * function's jar, as on Lambda, where they live in /var/runtime/lib), its JNI library unpacked
 * once, and the JVM options the managed runtime's bootstrap passes.
 *
 * @param java      the {@code java} executable
 * @param classpath the runtime client's jars
 * @param jniLibrary the runtime client's native library for this platform
 */
public record ManagedJavaRuntime(Path java, List<Path> classpath, Path jniLibrary) {
    /** The runtime client's entry point; its one argument is the handler string. */
    public static final String MAIN_CLASS = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    /** The runtime client loads its native library from here when set (the managed runtime sets it too). */
    static final String JNI_PROPERTY = "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";

    private static final String RIC_JAR_PREFIX = "aws-lambda-java-runtime-interface-client-";
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    /**
     * The runtime in {@code infra/lambda-runtime/target/lambda-runtime} (the Maven build copies the pinned
     * jars there), or in the folder named by {@code -Depro.lambda.runtime}; the JNI library goes
     * to a folder of its own under {@code target}.
     */
    public static ManagedJavaRuntime locate() {
        String configured = System.getProperty("epro.lambda.runtime");
        Path dir = configured != null && !configured.isBlank()
                ? Path.of(configured)
                : ProjectPaths.root().resolve("infra/lambda-runtime/target/lambda-runtime");
        return from(dir, currentJava());
    }

    /** The runtime whose jars are in {@code dir}, started with {@code java}. */
    public static ManagedJavaRuntime from(Path dir, Path java) {
        List<Path> jars;
        try (Stream<Path> files = Files.list(dir)) {
            jars = files.filter(p -> p.getFileName().toString().endsWith(".jar"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new IllegalStateException(
                    "no Lambda runtime client at " + dir
                            + ": build infra/lambda-runtime first (`make build`, or ./mvnw -pl infra/lambda-runtime generate-resources)",
                    e);
        }
        Path ric = jars.stream()
                .filter(p -> p.getFileName().toString().startsWith(RIC_JAR_PREFIX))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + RIC_JAR_PREFIX + "*.jar in " + dir));
        return new ManagedJavaRuntime(java, jars, unpackJni(ric, dir.resolve("jni")));
    }

    /** The JDK this JVM runs on: the local runtime is started with JDK 25, as the functions must be. */
    static Path currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /**
     * The managed runtime's JVM options (its bootstrap's command line, minus the agent and the
     * class-data archive only Lambda has): 85% of the memory as heap, the serial collector, C1 only
     * unless the function's own JAVA_TOOL_OPTIONS chose its tiers, CRaC through the runtime's
     * own implementation. JAVA_TOOL_OPTIONS itself reaches the JVM through the environment.
     */
    public List<String> jvmOptions(int memoryMb, String javaToolOptions) {
        List<String> options = new ArrayList<>();
        options.add("-XX:MaxHeapSize=" + (memoryMb * 1024L * 85 / 100) + "k");
        options.add("-XX:+UseSerialGC");
        options.add("-Xshare:auto");
        if (javaToolOptions == null || !javaToolOptions.contains("Tiered")) {
            options.add("-XX:+TieredCompilation");
            options.add("-XX:TieredStopAtLevel=1");
        }
        options.add("--add-opens=java.base/java.io=ALL-UNNAMED");
        options.add("-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac");
        options.add("-Djava.net.preferIPv4Stack=true");
        options.add("-XX:+ErrorFileToStderr");
        // the runtime client loads its JNI library with System.load, a restricted method since JDK 24
        options.add("--enable-native-access=ALL-UNNAMED");
        options.add("-D" + JNI_PROPERTY + "=" + jniLibrary);
        return options;
    }

    /**
     * The full command: java, the options, the runtime client's classpath, its main class and the
     * handler; under {@code setsid} where there is one, so a terminal's Ctrl-C (sent to its whole
     * foreground process group) reaches the local runtime, which stops its pollers before its
     * instances, and not the instances themselves mid-invocation. (setsid execs java: same pid.)
     */
    public List<String> command(int memoryMb, String javaToolOptions, String handler) {
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            command.add(SETSID.toString());
        }
        command.add(java.toString());
        command.addAll(jvmOptions(memoryMb, javaToolOptions));
        command.add("-classpath");
        command.add(String.join(
                File.pathSeparator, classpath.stream().map(Path::toString).toList()));
        command.add(MAIN_CLASS);
        command.add(handler);
        return command;
    }

    /**
     * Unpacks the runtime client's JNI library for this platform, once: left to itself the client
     * copies it to one fixed file in /tmp at every start, and instances starting together would
     * overwrite it under each other.
     */
    private static Path unpackJni(Path ricJar, Path into) {
        String name = "libaws-lambda-jni." + platform() + ".so";
        Path target = into.resolve(name);
        try (ZipFile zip = new ZipFile(ricJar.toFile())) {
            ZipEntry entry = zip.getEntry("jni/" + name);
            if (entry == null) {
                throw new IllegalStateException(ricJar.getFileName() + " has no native library for " + platform());
            }
            if (Files.isRegularFile(target) && Files.size(target) == entry.getSize()) {
                return target;
            }
            Files.createDirectories(into);
            Path partial = Files.createTempFile(into, name, ".part");
            try (InputStream in = zip.getInputStream(entry)) {
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the runtime client's native library", e);
        }
    }

    /** The runtime client ships its native client for Linux only (glibc or musl, x86_64 or arm64). */
    static String platform() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        if (!os.contains("linux")) {
            throw new IllegalStateException("the Lambda runtime client's native library exists for Linux only, not "
                    + System.getProperty("os.name")
                    + ": run the local Lambda on Linux (or in a Linux VM or container)");
        }
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String cpu = switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch_64";
            default -> throw new IllegalStateException("no Lambda runtime client native library for " + arch);
        };
        boolean musl;
        try (Stream<Path> lib = Files.list(Path.of("/lib"))) {
            musl = lib.anyMatch(p -> p.getFileName().toString().startsWith("ld-musl-"));
        } catch (IOException e) {
            musl = false;
        }
        return (musl ? "linux_musl-" : "linux-") + cpu;
    }
}
