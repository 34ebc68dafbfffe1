package org.openepro.bench.lambda;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.openepro.emulator.AwsEmulator;
import org.openepro.emulator.EmulatedStack;
import org.openepro.emulator.ProjectPaths;
import org.openepro.runtime.lambda.FunctionInstance;
import org.openepro.runtime.lambda.FunctionPool;
import org.openepro.runtime.lambda.FunctionSpec;
import org.openepro.runtime.lambda.InitResult;
import org.openepro.runtime.lambda.InvokeResult;
import org.openepro.runtime.lambda.ManagedJavaRuntime;

/**
 * Cold start of every function of the template as Lambda starts it: a new JVM from the function's
 * {@code sam build} artifact through the pinned Runtime Interface Client (the local runtime's own
 * launcher, {@link FunctionInstance}), its init measured from the spawn to the runtime's first
 * {@code invocation/next}, its first invocation from the event's delivery to the runtime's response.
 * The naive baseline runs the same way from an artifact of its own. All subjects run interleaved,
 * the order rotated every round, after one unmeasured run each; a last run of each, with
 * {@code -Xlog:class+load} added, counts the classes loaded by the first response.
 *
 * <p>Usage (under {@code infra/scripts/with-emulator.sh}, from the repository root):
 * {@code ArtifactColdStart [runs=11] [--only Label,...] [--subject label=L,function=Id,root=dir[,handler=h][,jto=opts][,baseline=L]]...}.
 * A {@code --subject} adds an artifact to compare in the same run (a variant of a function: another
 * task root, handler or JAVA_TOOL_OPTIONS).
 */
public final class ArtifactColdStart {
    /** Lambda gives an on-demand init 10 s; this machine is shared, so the benchmark waits longer. */
    private static final Duration INIT_LIMIT = Duration.ofSeconds(120);

    private static final String NAIVE_SUBMIT = "org.openepro.bench.submit.NaiveSubmitHandler::handleRequest";

    private ArtifactColdStart() {}

    /** One artifact to start: what it is called here, the template function whose events it gets, its baseline. */
    record Subject(String label, String functionId, FunctionSpec spec, String baseline) {}

    /** One measured cold start. */
    record Run(double initMs, double firstMs) {
        double totalMs() {
            return initMs + firstMs;
        }
    }

    public static void main(String[] args) throws Exception {
        int runs = 11;
        List<String> only = List.of();
        List<String> extra = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--only" -> only = List.of(args[++i].split(","));
                case "--subject" -> extra.add(args[++i]);
                default -> runs = Integer.parseInt(args[i]);
            }
        }
        Path artifacts = Path.of(System.getProperty(
                "epro.artifacts", ProjectPaths.root().resolve(".aws-sam/build").toString()));
        if (!Files.isDirectory(artifacts)) {
            throw new IllegalStateException("no sam build output at " + artifacts + ": run `make sam-build` first");
        }
        ManagedJavaRuntime runtime = ManagedJavaRuntime.locate();
        EmulatedStack stack = AwsEmulator.shared().deployStack("epro-coldstart");

        List<Subject> subjects = new ArrayList<>();
        for (String id : new TreeMap<>(stack.functions()).keySet()) {
            subjects.add(new Subject(
                    id,
                    id,
                    spec(stack, id, id, artifacts.resolve(id), null, null),
                    id.equals("SubmitReportFunction") ? "naive-submit" : null));
        }
        Map<String, String> naiveEnv = new HashMap<>(stack.env("SubmitReportFunction"));
        naiveEnv.remove("JAVA_TOOL_OPTIONS"); // the baseline keeps the runtime's defaults
        subjects.add(new Subject(
                "naive-submit",
                "SubmitReportFunction",
                withEnv(
                        spec(stack, "SubmitReportFunction", "NaiveSubmit", naiveArtifact(), NAIVE_SUBMIT, null),
                        naiveEnv),
                null));
        if (!only.isEmpty()) {
            // a subject kept keeps its baseline
            List<String> wanted = only;
            List<String> keep = new ArrayList<>(wanted);
            subjects.stream()
                    .filter(s -> wanted.contains(s.label()) && s.baseline() != null)
                    .forEach(s -> keep.add(s.baseline()));
            subjects.removeIf(s -> !keep.contains(s.label()));
        }
        for (String s : extra) {
            subjects.add(parseSubject(s, stack, artifacts));
        }

        ConsoleCapture console = new ConsoleCapture();
        FunctionPool submitFeeder = new FunctionPool(
                spec(
                        stack,
                        "SubmitReportFunction",
                        "SubmitReportFunction",
                        artifacts.resolve("SubmitReportFunction"),
                        null,
                        null),
                runtime,
                1,
                console);
        FunctionPool exportFeeder = new FunctionPool(
                spec(
                        stack,
                        "ExportApiFunction",
                        "ExportApiFunction",
                        artifacts.resolve("ExportApiFunction"),
                        null,
                        null),
                runtime,
                1,
                console);
        try (ColdStartEvents events = new ColdStartEvents(stack, submitFeeder, exportFeeder)) {
            submitFeeder.prewarm();
            exportFeeder.prewarm();
            System.out.printf(
                    "cold start through the runtime client: %d subjects, %d runs each (load average %s)%n",
                    subjects.size(), runs, loadAverage());
            for (Subject s : subjects) {
                coldStart(s, runtime, events, null); // unmeasured: the page cache, not the JVM, would decide it
            }
            Map<String, List<Run>> measured = new LinkedHashMap<>();
            subjects.forEach(s -> measured.put(s.label(), new ArrayList<>()));
            for (int round = 0; round < runs; round++) {
                List<Subject> order = new ArrayList<>(subjects);
                Collections.rotate(order, -round);
                StringBuilder line = new StringBuilder("  round " + (round + 1) + ":");
                for (Subject s : order) {
                    Run r = coldStart(s, runtime, events, null);
                    measured.get(s.label()).add(r);
                    line.append(String.format(Locale.ROOT, " %s %.0f+%.0f", s.label(), r.initMs(), r.firstMs()));
                }
                System.out.println(line);
            }
            Map<String, ClassLoads> loaded = new LinkedHashMap<>();
            for (Subject s : subjects) {
                Path log = Files.createTempFile("class-load-" + s.label() + "-", ".log");
                coldStart(s, runtime, events, log);
                loaded.put(s.label(), ClassLoads.read(log));
                keepOrDelete(log, s.label());
            }
            report(subjects, measured, loaded, runs);
        } finally {
            submitFeeder.close();
            exportFeeder.close();
        }
        Runtime.getRuntime().halt(0);
    }

    /** One cold start: a new instance, its init, its first invocation, then it is stopped. */
    private static Run coldStart(Subject s, ManagedJavaRuntime runtime, ColdStartEvents events, Path classLog)
            throws IOException {
        FunctionSpec spec = s.spec();
        if (classLog != null) {
            Map<String, String> env = new HashMap<>(spec.environment());
            String jto = env.getOrDefault("JAVA_TOOL_OPTIONS", "");
            env.put("JAVA_TOOL_OPTIONS", (jto + " -Xlog:class+load=info:file=" + classLog).strip());
            spec = withEnv(spec, env);
        }
        byte[] event = events.forFunction(s.functionId());
        ConsoleCapture console = new ConsoleCapture();
        try (FunctionInstance instance = FunctionInstance.start(spec, runtime, console)) {
            InitResult init = instance.awaitInit(INIT_LIMIT);
            if (!init.ready()) {
                throw new IllegalStateException(s.label() + ": init " + init.status() + " (" + init.errorType() + "): "
                        + init.errorBody() + "\n" + console.text());
            }
            InvokeResult first = instance.invoke(event, init.duration());
            ColdStartEvents.requireExpectedAnswer(s.label(), s.functionId(), first, console.text());
            return new Run(millis(init.duration()), millis(first.duration()));
        } finally {
            events.afterRun();
        }
    }

    private static void report(
            List<Subject> subjects, Map<String, List<Run>> measured, Map<String, ClassLoads> loaded, int runs)
            throws IOException {
        System.out.printf(
                "%nper artifact, medians of %d cold starts (ms), load average %s, %s%n",
                runs, loadAverage(), Instant.now());
        System.out.printf(
                "%-24s %9s %8s %8s %8s %8s %8s  %s%n",
                "artifact",
                "jar MiB",
                "classes",
                "loaded",
                "init",
                "first",
                "total",
                "ratio to baseline (init / first / total)");
        for (Subject s : subjects) {
            List<Run> runsOf = measured.get(s.label());
            double init = median(runsOf.stream().map(Run::initMs).toList());
            double first = median(runsOf.stream().map(Run::firstMs).toList());
            JarContents jar = JarContents.of(s.spec().taskRoot());
            String ratio = "";
            if (s.baseline() != null && measured.containsKey(s.baseline())) {
                List<Run> base = measured.get(s.baseline());
                double bInit = median(base.stream().map(Run::initMs).toList());
                double bFirst = median(base.stream().map(Run::firstMs).toList());
                ratio = String.format(
                        Locale.ROOT,
                        "%.2f / %.2f / %.2f vs %s",
                        init / bInit,
                        first / bFirst,
                        (init + first) / (bInit + bFirst),
                        s.baseline());
            }
            System.out.printf(
                    Locale.ROOT,
                    "%-24s %9.1f %8d %8d %8.0f %8.0f %8.0f  %s%n",
                    s.label(),
                    jar.mib(),
                    jar.classes(),
                    loaded.get(s.label()).total(),
                    init,
                    first,
                    init + first,
                    ratio);
        }
        System.out.printf("%nclasses loaded by the first response, by origin%n");
        for (Subject s : subjects) {
            System.out.printf("  %-24s %s%n", s.label(), loaded.get(s.label()).byOrigin());
        }
        System.out.printf("%nevery run (init+first ms)%n");
        for (Subject s : subjects) {
            System.out.printf(
                    "  %-24s %s%n",
                    s.label(),
                    measured.get(s.label()).stream()
                            .map(r -> String.format(Locale.ROOT, "%.0f+%.0f", r.initMs(), r.firstMs()))
                            .toList());
        }
    }

    /** The template's function {@code functionId}, as LocalRuntime starts it, under another name, root or handler. */
    private static FunctionSpec spec(
            EmulatedStack stack,
            String functionId,
            String name,
            Path taskRoot,
            String handler,
            String extraJavaToolOptions) {
        EmulatedStack.Function fn = stack.function(functionId);
        Map<String, String> env = new HashMap<>(stack.env(functionId));
        if (extraJavaToolOptions != null) {
            env.put(
                    "JAVA_TOOL_OPTIONS",
                    (env.getOrDefault("JAVA_TOOL_OPTIONS", "") + " " + extraJavaToolOptions).strip());
        }
        // the template's Timeout would cut a slow first invocation on a loaded machine: measure it instead
        Duration timeout = Duration.ofSeconds(Math.max(fn.timeout(), INIT_LIMIT.toSeconds()));
        return new FunctionSpec(
                name,
                handler == null ? fn.handler() : handler,
                taskRoot,
                fn.memorySize(),
                timeout,
                env,
                stack.region(),
                fn.logFormat(),
                fn.applicationLogLevel());
    }

    private static FunctionSpec withEnv(FunctionSpec s, Map<String, String> env) {
        return new FunctionSpec(
                s.name(),
                s.handler(),
                s.taskRoot(),
                s.memoryMb(),
                s.timeout(),
                env,
                s.region(),
                s.logFormat(),
                s.applicationLogLevel());
    }

    /**
     * {@code label=L,function=Id[,root=dir][,handler=h][,jto=opts][,baseline=L]}: {@code root} defaults to
     * the function's artifact plus a jar of this module's {@code org.openepro.bench.variant} classes (a
     * handler variant to measure before it is built into the function itself).
     */
    private static Subject parseSubject(String text, EmulatedStack stack, Path artifacts) throws IOException {
        Map<String, String> f = new HashMap<>();
        for (String part : text.split(",(?=[a-z]+=)")) {
            int eq = part.indexOf('=');
            f.put(part.substring(0, eq), part.substring(eq + 1));
        }
        String id = f.get("function");
        Path root = f.containsKey("root")
                ? Path.of(f.get("root"))
                : withVariantClasses(artifacts.resolve(id), f.get("label"));
        return new Subject(
                f.get("label"),
                id,
                spec(stack, id, f.get("label"), root, f.get("handler"), f.get("jto")),
                f.getOrDefault("baseline", id));
    }

    /** A task root with {@code artifact}'s jars and one more holding the bench's variant handlers. */
    private static Path withVariantClasses(Path artifact, String label) throws IOException {
        Path lib = Files.createDirectories(ProjectPaths.root()
                .resolve("bench/target/variants")
                .resolve(label)
                .resolve("lib"));
        try (Stream<Path> jars = Files.list(artifact.resolve("lib"))) {
            for (Path jar : jars.toList()) {
                Files.copy(jar, lib.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path classes = ProjectPaths.root().resolve("bench/target/classes");
        Path variants = classes.resolve("org/openepro/bench/variant");
        try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(lib.resolve("variant.jar")));
                Stream<Path> files = Files.list(variants)) {
            for (Path c : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                out.putNextEntry(
                        new java.util.zip.ZipEntry(classes.relativize(c).toString()));
                Files.copy(c, out);
                out.closeEntry();
            }
        }
        return lib.getParent();
    }

    /** The naive baseline's artifact, laid out as sam build lays out a function's: a task root with lib/*.jar. */
    private static Path naiveArtifact() throws IOException {
        Path jar = ProjectPaths.root().resolve("bench/naive/target/naive-lambda.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no " + jar + ": build first (`make build`)");
        }
        Path lib = Files.createDirectories(ProjectPaths.root().resolve("bench/target/naive-artifact/lib"));
        Files.copy(jar, lib.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        return lib.getParent();
    }

    /** {@code -Dbench.classLogs=dir} keeps each subject's class-load log there (to see what init loads). */
    private static void keepOrDelete(Path log, String label) throws IOException {
        String keep = System.getProperty("bench.classLogs");
        if (keep == null || keep.isBlank()) {
            Files.deleteIfExists(log);
        } else {
            Path dir = Files.createDirectories(Path.of(keep));
            Files.move(log, dir.resolve(label + ".log"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static double millis(Duration d) {
        return d.toNanos() / 1e6;
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** A task root's jars: their size and how many class files they hold. */
    record JarContents(long bytes, int classes) {
        double mib() {
            return bytes / 1024.0 / 1024.0;
        }

        static JarContents of(Path taskRoot) {
            long bytes = 0;
            int classes = 0;
            try (Stream<Path> jars = Files.list(taskRoot.resolve("lib"))) {
                for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
                    bytes += Files.size(jar);
                    try (ZipFile zip = new ZipFile(jar.toFile())) {
                        classes += (int) zip.stream()
                                .filter(e -> e.getName().endsWith(".class"))
                                .count();
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new JarContents(bytes, classes);
        }
    }

    /** The classes a JVM loaded, from its {@code -Xlog:class+load} file, counted by where they come from. */
    record ClassLoads(int total, Map<String, Integer> byOrigin) {
        static ClassLoads read(Path log) throws IOException {
            Map<String, Integer> origins = new TreeMap<>();
            int total = 0;
            for (String line : Files.readAllLines(log)) {
                int tag = line.indexOf("[class,load] ");
                if (tag < 0) {
                    continue;
                }
                String rest = line.substring(tag + 13);
                int space = rest.indexOf(' ');
                String name = space < 0 ? rest : rest.substring(0, space);
                origins.merge(origin(name, rest), 1, Integer::sum);
                total++;
            }
            return new ClassLoads(total, origins);
        }

        private static String origin(String name, String line) {
            String[][] packages = {
                {"software.amazon.awssdk.", "sdk"},
                {"com.fasterxml.jackson.", "jackson"},
                {"com.amazonaws.lambda.thirdparty.", "ric-jackson"},
                {"com.amazonaws.services.lambda.runtime.serialization.", "ric-serialization"},
                {"com.amazonaws.services.lambda.runtime.api.client.", "ric"},
                {"com.amazonaws.services.lambda.runtime.", "lambda-core+events"},
                {"org.openepro.", "openepro"},
                {"software.amazon.cloudwatchlogs.emf.", "emf"},
                {"org.joda.", "joda"},
                {"org.apache.", "apache"},
                {"org.slf4j.", "slf4j"},
            };
            for (String[] p : packages) {
                if (name.startsWith(p[0])) {
                    return p[1];
                }
            }
            if (line.contains("source: jrt:/") || line.contains("shared objects file")) {
                return "jdk";
            }
            // lambda forms, proxies, lambdas' classes: defined at run time, not read from a jar
            return line.contains("source: file:") ? "other" : "generated";
        }
    }

    /** Keeps an instance's log lines, for the message when a run fails. */
    static final class ConsoleCapture implements FunctionInstance.FunctionOutput {
        private final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();

        @Override
        public void line(String function, String line) {
            if (lines.size() < 400) {
                lines.add(function + "  " + line);
            }
        }

        String text() {
            return String.join("\n", lines);
        }
    }
}
