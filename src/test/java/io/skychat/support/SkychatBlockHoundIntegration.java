package io.skychat.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingOperationError;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * The blocking calls tests allow on event loops, each with the reason it is harmless. Every other blocking
 * call is remembered as well as thrown: code that swallows the error must not hide it, so
 * {@link BlockingCallsFailTheTest} fails the test during which it happened.
 */
public final class SkychatBlockHoundIntegration implements BlockHoundIntegration {

    static final List<String> VIOLATIONS = new CopyOnWriteArrayList<>();

    @Override
    public void applyTo(BlockHound.Builder builder) {
        // SecureRandom reads /dev/urandom, which never blocks once the kernel pool is initialised.
        builder.allowBlockingCallsInside("sun.security.provider.NativePRNG$RandomIO", "readFully");
        builder.allowBlockingCallsInside("sun.security.provider.NativePRNG$RandomIO", "implNextBytes");
        // Logback appends one line to the console under a short lock.
        builder.allowBlockingCallsInside("ch.qos.logback.core.OutputStreamAppender", "writeBytes");
        // Netty's adaptive allocator briefly write-locks a magazine while growing its pool on an event loop;
        // Netty's own BlockHound integration does not list it yet. Seen reading a 2 MB request body.
        builder.allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup", "tryExpandMagazines");
        // Reactor's timers (Flux.interval for SSE pings, timeouts) live in a ScheduledThreadPoolExecutor: cancelling
        // one from an event loop takes its delayed queue's lock for a few instructions. Reactor's own integration
        // allows scheduling (offer) but not this removal; it is the same lock, held as briefly.
        builder.allowBlockingCallsInside("java.util.concurrent.ScheduledThreadPoolExecutor$DelayedWorkQueue", "remove");
        builder.blockingMethodCallback(method -> {
            BlockingOperationError error = new BlockingOperationError(method);
            StringBuilder where = new StringBuilder(Thread.currentThread().getName()).append(": ").append(method);
            StackTraceElement[] stack = error.getStackTrace();
            for (int i = 0; i < Math.min(stack.length, 25); i++) {
                where.append("\n\tat ").append(stack[i]);
            }
            VIOLATIONS.add(where.toString());
            throw error;
        });
    }
}
