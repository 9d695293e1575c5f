package io.skychat.cli;

import java.util.List;
import java.util.Map;

import io.skychat.core.PeerKey;

/** {@code skychat alias add|ls|rm}: the local address book any {@code -t}/{@code --peer}/{@code --from} accepts. */
final class AliasVerb implements Verb {

    @Override
    public String name() {
        return "alias";
    }

    @Override
    public String summary() {
        return "name public keys: alias add <name> <pk> | ls | rm <name>";
    }

    @Override
    public String synopsis() {
        return "skychat alias add <name> <pk> | skychat alias ls | skychat alias rm <name>";
    }

    @Override
    public List<Args.Option> options() {
        return List.of();
    }

    @Override
    public List<String> examples() {
        return List.of(
                "skychat alias add bob 03fe8f6dcb225fc2cc352726fe98bde6c7fec9bc7fe94539874d9717d2cea2a8e3",
                "skychat send -t bob -m hi",
                "skychat alias ls --json",
                "skychat alias rm bob",
                "(stored in $XDG_CONFIG_HOME/skywire/skychat-aliases.json, else ~/.config/skywire/…)");
    }

    @Override
    public int run(Call call) {
        List<String> p = call.args().positional();
        if (p.isEmpty()) {
            throw CliException.usage("needs a subcommand: add, ls or rm");
        }
        Aliases aliases = call.aliases();
        switch (p.get(0)) {
            case "add" -> {
                if (p.size() != 3) {
                    throw CliException.usage("usage: alias add <name> <pk>");
                }
                // Upstream's docs show both orders; whichever argument is a key is the key.
                boolean keyFirst = looksLikeKey(p.get(1)) && !looksLikeKey(p.get(2));
                String name = keyFirst ? p.get(2) : p.get(1);
                String pk = keyFirst ? p.get(1) : p.get(2);
                PeerKey key;
                try {
                    key = PeerKey.parse(pk);
                } catch (IllegalArgumentException e) {
                    throw CliException.usage("invalid public key \"" + pk + "\": " + e.getMessage());
                }
                String previous = aliases.put(name, key);
                if (call.json()) {
                    call.out().println(JsonText.write(Map.of("name", name, "pk", key.hex())));
                } else if (previous != null && !previous.equals(key.hex())) {
                    call.out().println("alias " + name + " replaced (was " + previous + ", now " + key + ")");
                } else {
                    call.out().println("alias " + name + " → " + key);
                }
            }
            case "ls", "list" -> {
                if (call.json()) {
                    call.out().println(JsonText.write(aliases.entries()));
                } else if (aliases.entries().isEmpty()) {
                    call.err().println("(no aliases; add one with: skychat alias add <name> <pk>)");
                } else {
                    aliases.entries().forEach((name, pk) -> call.out().println(String.format("%-20s %s", name, pk)));
                }
            }
            case "rm", "remove" -> {
                if (p.size() != 2) {
                    throw CliException.usage("usage: alias rm <name>");
                }
                if (!aliases.remove(p.get(1))) {
                    throw CliException.failed("no such alias \"" + p.get(1) + "\"");
                }
                if (call.json()) {
                    call.out().println(JsonText.write(Map.of("removed", p.get(1))));
                } else {
                    call.out().println("alias " + p.get(1) + " removed");
                }
            }
            default -> throw CliException.usage("unknown subcommand \"" + p.get(0) + "\": use add, ls or rm");
        }
        return Cli.OK;
    }

    private static boolean looksLikeKey(String s) {
        return s.length() == PeerKey.LENGTH * 2 && s.chars().allMatch(c -> Character.digit(c, 16) >= 0);
    }
}
