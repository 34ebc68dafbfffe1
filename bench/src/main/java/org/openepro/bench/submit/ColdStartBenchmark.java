package org.openepro.bench.submit;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openepro.emulator.AwsEmulator;
import org.openepro.emulator.EmulatedStack;

/**
 * Cold start of submit-report: a fresh JVM constructs the handler and serves its first request
 * against the local emulator. OpenEPRO's handler (with the template's JVM options) and the naive
 * baseline run interleaved in the same session; prints medians and their ratio.
 *
 * <p>Usage: {@code bench/run.sh cold-start [runs]}
 */
public final class ColdStartBenchmark {
    private ColdStartBenchmark() {}

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 11;
        EmulatedStack stack = AwsEmulator.shared().deployStack("epro-coldstart");
        Map<String, String> ours = new HashMap<>(System.getenv());
        ours.putAll(stack.env("SubmitReportFunction"));
        ours.put("AWS_ACCESS_KEY_ID", "testing");
        ours.put("AWS_SECRET_ACCESS_KEY", "testing");
        Map<String, String> naive = new HashMap<>(ours);
        naive.remove("JAVA_TOOL_OPTIONS");

        // one unmeasured run each: the OS page cache, not the JVM, would otherwise decide the first numbers
        run("ours", ours);
        run("naive", naive);
        List<Long> oursMs = new ArrayList<>();
        List<Long> naiveMs = new ArrayList<>();
        List<Long> oursRestoredFirst = new ArrayList<>();
        List<Long> naiveFirst = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            oursMs.add(run("ours", ours).total());
            Run n = run("naive", naive);
            naiveMs.add(n.total());
            naiveFirst.add(n.firstRequest());
            oursRestoredFirst.add(run("ours-restored", ours).firstRequest());
        }
        long o = median(oursMs);
        long n = median(naiveMs);
        System.out.printf("cold start, %d runs each (JVM start to first response, ms)%n", runs);
        System.out.printf(
                "  openepro  median %5d  min %5d  max %5d  %s%n",
                o, Collections.min(oursMs), Collections.max(oursMs), oursMs);
        System.out.printf(
                "  naive     median %5d  min %5d  max %5d  %s%n",
                n, Collections.min(naiveMs), Collections.max(naiveMs), naiveMs);
        System.out.printf("  ratio openepro/naive = %.2f (target <= 0.50)%n", (double) o / n);
        long r = median(oursRestoredFirst);
        long nf = median(naiveFirst);
        System.out.printf("SnapStart-equivalent: first request after the handler was built and primed (ms)%n");
        System.out.printf("  openepro  median %5d  %s%n", r, oursRestoredFirst);
        System.out.printf(
                "  naive     median %5d  %s  (builds everything in its first request: nothing to snapshot)%n",
                nf, naiveFirst);
        System.out.printf("  ratio openepro/naive = %.2f%n", (double) r / nf);
        Runtime.getRuntime().halt(0);
    }

    /** One fresh JVM's cold start: JVM start to first response, and the first request alone. */
    private record Run(long total, long firstRequest) {}

    private static Run run(String which, Map<String, String> env) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(
                java, "-cp", System.getProperty("java.class.path"), ColdStartProbe.class.getName(), which);
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        long spawned = System.currentTimeMillis();
        Process p = pb.start();
        String result = null;
        String phases = null;
        long firstRequest = -1;
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("RESULT ")) {
                    result = line;
                } else if (line.startsWith("PHASES ")) {
                    phases = line.substring(7);
                    firstRequest = Long.parseLong(phases.substring(phases.indexOf("first-request=") + 14)
                            .trim());
                }
            }
        }
        p.waitFor();
        if (result == null || !result.startsWith("RESULT 201 ")) {
            throw new IllegalStateException(which + " did not serve its first request: " + result);
        }
        long answered = Long.parseLong(result.substring("RESULT 201 ".length()).trim());
        long inMain = Long.parseLong(phases.substring(phases.indexOf("main-at=") + 8, phases.indexOf(' ')));
        System.out.println(
                "  " + which + " spawn-to-main=" + (inMain - spawned) + phases.substring(phases.indexOf(' ')));
        return new Run(answered - spawned, firstRequest);
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
