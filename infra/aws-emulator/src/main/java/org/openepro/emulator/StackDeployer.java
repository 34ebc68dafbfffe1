package org.openepro.emulator;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openepro.core.aws.AwsClients;
import org.openepro.core.aws.AwsSettings;
import org.openepro.core.json.Json;

/**
 * Creates the stack's data-plane resources and its functions' roles in the emulator from
 * template.yaml, through infra/aws-emulator/local_stack.py (the SAM translator, then the emulator's
 * CloudFormation), with credentials of each function's role registered for the emulator's IAM check.
 */
public final class StackDeployer {
    private static final ObjectReader OUTPUT = Json.reader(Output.class);

    private StackDeployer() {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Output(
            String stackName,
            String region,
            boolean iamEnforced,
            Map<String, EmulatedStack.Resource> resources,
            Map<String, EmulatedStack.Function> functions) {}

    public static EmulatedStack deploy(URI endpoint, String stackName, String region) {
        Path root = ProjectPaths.root();
        Path script = root.resolve("infra/aws-emulator/local_stack.py");
        List<String> command = List.of(
                ProjectPaths.venvBin("python").toString(),
                script.toString(),
                "--endpoint",
                endpoint.toString(),
                "--template",
                ProjectPaths.template().toString(),
                "--stack",
                stackName,
                "--region",
                region);
        try {
            Path stdout = Files.createTempFile("local-stack-", ".json");
            Path stderr = Files.createTempFile("local-stack-", ".err");
            Process p = new ProcessBuilder(command)
                    .directory(root.toFile())
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile())
                    .start();
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("creating the local stack timed out; see " + stderr);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("creating the local stack failed (exit " + p.exitValue() + "): "
                        + Files.readString(stderr, StandardCharsets.UTF_8).strip());
            }
            Output out = OUTPUT.readValue(stdout.toFile());
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
            Map<String, String> env = new HashMap<>();
            env.put("AWS_REGION", region);
            env.put("AWS_ENDPOINT_URL", endpoint.toString());
            AwsClients clients = new AwsClients(AwsSettings.fromEnv(env));
            return new EmulatedStack(
                    out.stackName(),
                    out.region(),
                    endpoint,
                    Map.copyOf(out.resources()),
                    Map.copyOf(out.functions()),
                    clients,
                    out.iamEnforced());
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the local stack", e);
        }
    }
}
