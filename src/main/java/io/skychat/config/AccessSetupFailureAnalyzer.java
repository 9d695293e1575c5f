package io.skychat.config;

import io.skychat.api.AccessSetupException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a token or password file problem into one plain line instead of a bean-creation stack trace. */
public final class AccessSetupFailureAnalyzer extends AbstractFailureAnalyzer<AccessSetupException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, AccessSetupException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Fix the file named above, point --api-token-file/--password-file elsewhere, or (only behind another "
                        + "authenticating layer) start with --no-auth.", cause);
    }
}
