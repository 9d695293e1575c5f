package io.skychat.core;

public enum Direction {
    IN("in"), OUT("out");

    private final String label;

    Direction(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
