package org.openepro.emulator;

import java.nio.file.Path;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension shared by every module's integration tests: one emulator and one stack
 * (created from template.yaml) for the test run, injected as {@link EmulatedStack}; the stack's
 * queues are emptied before each test so each test sees only what it caused.
 */
public final class AwsEmulatorExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(AwsEmulatorExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        stack(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        stack(context).purgeQueues();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == EmulatedStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return stack(context);
    }

    private static EmulatedStack stack(ExtensionContext context) {
        return context.getRoot()
                .getStore(NAMESPACE)
                .computeIfAbsent(
                        "stack",
                        key -> {
                            String module =
                                    Path.of("").toAbsolutePath().getFileName().toString();
                            return AwsEmulator.shared().deployStack("epro-" + module.replaceAll("[^A-Za-z0-9-]", ""));
                        },
                        EmulatedStack.class);
    }
}
