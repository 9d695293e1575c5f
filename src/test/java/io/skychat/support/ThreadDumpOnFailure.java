package io.skychat.support;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/** Prints every thread's stack when an integration test fails, so a hang can be diagnosed from the CI log. */
public final class ThreadDumpOnFailure implements TestExecutionExceptionHandler {

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        StringBuilder dump = new StringBuilder("thread dump after " + context.getDisplayName() + " failed:\n");
        for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
            dump.append(info.toString().replace("\n\t...\n", "\n"));
            StackTraceElement[] stack = info.getStackTrace();
            if (stack.length > 8) { // ThreadInfo.toString stops at 8 frames
                for (int i = 8; i < Math.min(stack.length, 40); i++) {
                    dump.append("\tat ").append(stack[i]).append('\n');
                }
            }
        }
        System.err.println(dump);
        throw failure;
    }
}
