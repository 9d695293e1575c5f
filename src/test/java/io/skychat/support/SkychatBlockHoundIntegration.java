package io.skychat.support;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/** The blocking calls tests allow on event loops, each with the reason it is harmless. */
public final class SkychatBlockHoundIntegration implements BlockHoundIntegration {

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
    }
}
