package io.skychat.core;

import java.util.function.Function;

/**
 * An event as fanned out by the {@link EventHub}: every subscriber gets the same instance, so the wire form
 * is rendered once per event rather than once per subscriber.
 */
public final class Published {

    private final ChatEvent event;
    private volatile Object rendered;

    Published(ChatEvent event) {
        this.event = event;
    }

    public ChatEvent event() {
        return event;
    }

    /**
     * The event rendered by {@code renderer}, computed by the first subscriber that asks. One renderer per
     * hub (the SSE frame); two racing first callers both compute it, which is harmless.
     */
    @SuppressWarnings("unchecked")
    public <T> T rendered(Function<ChatEvent, T> renderer) {
        Object r = rendered;
        if (r == null) {
            r = renderer.apply(event);
            rendered = r;
        }
        return (T) r;
    }
}
