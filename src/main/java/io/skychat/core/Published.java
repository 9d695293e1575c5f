package io.skychat.core;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.Function;

/**
 * An event as fanned out by the {@link EventHub}: every subscriber gets the same instance, so each wire form
 * is rendered once per event rather than once per subscriber. The hub renders the forms its subscribers
 * asked for on its fan-out thread before handing the event to them, so subscribers on event loops only read.
 */
public final class Published {

    /** A wire form of events (an SSE frame, …), compared by identity: declare each once, as a constant. */
    public static final class Format<T> {

        private final String name;
        private final Function<ChatEvent, T> renderer;

        public Format(String name, Function<ChatEvent, T> renderer) {
            this.name = Objects.requireNonNull(name);
            this.renderer = Objects.requireNonNull(renderer);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private final ChatEvent event;
    /** Pairs of format and rendering, replaced whole (copy on write): there are one or two formats. */
    private volatile Object[] rendered = new Object[0];

    Published(ChatEvent event) {
        this.event = event;
    }

    public ChatEvent event() {
        return event;
    }

    /**
     * The event in {@code format}, rendered by the first caller. The hub renders before fan-out, so
     * subscribers find it done; a caller racing another on an event nobody rendered yet may render it too,
     * which is harmless (one of the equal results is kept).
     */
    @SuppressWarnings("unchecked")
    public <T> T rendered(Format<T> format) {
        Object[] r = rendered;
        for (int i = 0; i < r.length; i += 2) {
            if (r[i] == format) {
                return (T) r[i + 1];
            }
        }
        T value = format.renderer.apply(event);
        Object[] next = Arrays.copyOf(r, r.length + 2);
        next[r.length] = format;
        next[r.length + 1] = value;
        rendered = next;
        return value;
    }

    /** How many forms have been rendered so far (for tests). */
    int renderedCount() {
        return rendered.length / 2;
    }
}
