package org.openepro.core.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AwsClientsTest {
    private static final Map<String, String> ENV = Map.of(
            "AWS_REGION",
            "eu-west-1",
            "AWS_ACCESS_KEY_ID",
            "AKIAEXAMPLE",
            "AWS_SECRET_ACCESS_KEY",
            "secret",
            "AWS_ENDPOINT_URL",
            "http://127.0.0.1:1");
    private static final Set<String> SERVICES = Set.of("dynamodb", "sqs", "sns", "s3");

    @ParameterizedTest(name = "a jar with only {0} builds its {1} client")
    @CsvSource({"dynamodb, dynamo", "sqs, sqs", "sns, sns", "s3, s3", "s3, presigner"})
    void buildsTheClientsOfTheServicesItHasWithoutLoadingTheOthers(String present, String accessor) throws Exception {
        // GIVEN a class loader that, like a function's jar, lacks every SDK service module but one
        try (URLClassLoader jar = withoutServicesBut(present)) {
            // WHEN a handler builds AwsClients from its environment, asks for the client it uses and closes them
            Object client = probe(jar).apply(ENV, accessor);

            // THEN it got one, and nothing of the missing services was needed
            assertThat(client).isNotNull();
        }
    }

    @Test
    void aServiceTheJarLacksFailsOnlyWhenCalled() throws Exception {
        try (URLClassLoader jar = withoutServicesBut("dynamodb")) {
            BiFunction<Map<String, String>, String, Object> probe = probe(jar);

            assertThat(probe.apply(ENV, "none")).isNotNull();
            assertThat(probe.apply(ENV, "dynamo")).isNotNull();
            assertThatThrownBy(() -> probe.apply(ENV, "sns"))
                    .isInstanceOf(NoClassDefFoundError.class)
                    .hasMessageContaining("sns");
        }
    }

    @Test
    void takesCredentialsFromTheEnvironmentItIsGiven() {
        assertThat(AwsSettings.fromEnv(ENV).credentials())
                .isEqualTo(new AwsSettings.CredentialSource.Keys("AKIAEXAMPLE", "secret", java.util.Optional.empty()));
        assertThat(AwsSettings.fromEnv(Map.of("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://169.254.170.2/creds"))
                        .credentials())
                .isInstanceOf(AwsSettings.CredentialSource.Container.class);
        assertThat(AwsSettings.fromEnv(Map.of()).credentials())
                .isInstanceOf(AwsSettings.CredentialSource.DefaultChain.class);
        assertThat(AwsSettings.fromEnv(ENV).credentials().toString()).doesNotContain("secret");
    }

    @SuppressWarnings("unchecked")
    private static BiFunction<Map<String, String>, String, Object> probe(ClassLoader jar) throws Exception {
        return (BiFunction<Map<String, String>, String, Object>)
                Class.forName(AwsClientsProbe.class.getName(), true, jar)
                        .getConstructor()
                        .newInstance();
    }

    /** The test classpath, minus the SDK service modules other than {@code present}. */
    private static URLClassLoader withoutServicesBut(String present) throws MalformedURLException {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = new File(entry).getName();
            boolean otherService = SERVICES.stream().anyMatch(s -> !s.equals(present) && name.startsWith(s + "-2."));
            if (!otherService) {
                urls.add(new File(entry).toURI().toURL());
            }
        }
        return new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    }
}
