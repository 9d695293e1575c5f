package io.skychat.support;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test during which an event loop made a blocking call, even when the code under test caught the
 * error: a swallowed {@code BlockingOperationError} is a lost signal, and lost signals hang requests.
 * Registered for every test through JUnit's extension auto-detection.
 */
public final class BlockingCallsFailTheTest implements BeforeEachCallback, AfterEachCallback {

    @Override
    public void beforeEach(ExtensionContext context) {
        SkychatBlockHoundIntegration.VIOLATIONS.clear();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<String> seen = new ArrayList<>(SkychatBlockHoundIntegration.VIOLATIONS);
        SkychatBlockHoundIntegration.VIOLATIONS.clear();
        if (!seen.isEmpty()) {
            throw new AssertionError(seen.size() + " blocking call(s) on a non-blocking thread during "
                    + context.getDisplayName() + ":\n" + String.join("\n", seen));
        }
    }
}
