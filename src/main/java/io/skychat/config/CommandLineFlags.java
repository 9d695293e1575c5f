package io.skychat.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Translates upstream's server flags into Spring properties, accepting both {@code --flag value} and
 * {@code --flag=value}. Spring's own {@code --some.property=value} arguments pass through untouched;
 * an unknown upstream-style flag is an error rather than a silently ignored typo.
 */
public final class CommandLineFlags {

    enum Kind { BOOLEAN, NEGATED, VALUE, REPEATED }

    record Flag(String property, Kind kind) {
    }

    private static final Map<String, Flag> FLAGS = new LinkedHashMap<>();

    static {
        flag("standalone", "skychat.standalone", Kind.BOOLEAN);
        flag("addr", "skychat.addr", Kind.VALUE);
        flag("management-addr", "skychat.management-addr", Kind.VALUE);
        flag("sk", "skychat.sk", Kind.VALUE);
        flag("config", "skychat.config", Kind.VALUE);
        flag("c", "skychat.config", Kind.VALUE);
        flag("work-dir", "skychat.work-dir", Kind.VALUE);
        flag("tcp-listen", "skychat.tcp.listen", Kind.VALUE);
        flag("tcp-peer", "skychat.tcp.peers", Kind.REPEATED);
        flag("tcp-whitelist", "skychat.tcp.whitelist", Kind.VALUE);
        flag("dmsg", "skychat.dmsg.enabled", Kind.BOOLEAN);
        flag("dmsg-disc", "skychat.dmsg.disc", Kind.VALUE);
        flag("dmsg-sessions", "skychat.dmsg.sessions", Kind.VALUE);
        flag("dmsg-server", "skychat.dmsg.servers", Kind.REPEATED);
        flag("cxo-listen", "skychat.cxo.listen", Kind.VALUE);
        flag("cxo-peer", "skychat.cxo.peers", Kind.REPEATED);
        flag("persist", "skychat.persist.enabled", Kind.BOOLEAN);
        flag("no-persist", "skychat.persist.enabled", Kind.NEGATED);
        flag("persist-db", "skychat.persist.db", Kind.VALUE);
        flag("persist-max-size", "skychat.persist.max-size", Kind.VALUE);
        flag("persist-per-peer-rate", "skychat.persist.per-peer-rate", Kind.VALUE);
        flag("persist-per-peer-cap", "skychat.persist.per-peer-cap", Kind.VALUE);
        flag("persist-total-cap", "skychat.persist.total-cap", Kind.VALUE);
        flag("persist-ttl", "skychat.persist.ttl", Kind.VALUE);
        flag("persist-whitelist", "skychat.persist.whitelist", Kind.VALUE);
        flag("persist-seed", "skychat.persist.seed", Kind.VALUE);
        flag("outbox-expiry", "skychat.outbox.expiry", Kind.VALUE);
        flag("max-streams", "skychat.limits.max-streams", Kind.VALUE);
        flag("max-connections", "skychat.limits.max-connections", Kind.VALUE);
        flag("api-token-file", "skychat.auth.token-file", Kind.VALUE);
        flag("no-auth", "skychat.auth.disabled", Kind.BOOLEAN);
        flag("password-file", "skychat.auth.password-file", Kind.VALUE);
        flag("allowed-host", "skychat.security.allowed-hosts", Kind.REPEATED);
        flag("allowed-origin", "skychat.security.allowed-origins", Kind.REPEATED);
        flag("app-server", "skychat.visor.app-server", Kind.VALUE);
        flag("visor-rpc", "skychat.visor.rpc", Kind.VALUE);
        flag("visor-pk", "skychat.visor.pk", Kind.VALUE);
        flag("skynet", "skychat.visor.skynet", Kind.BOOLEAN);
        flag("pair-rpc", "skychat.visor.pair-rpc", Kind.VALUE);
        flag("pair-enable", "skychat.pair.enabled", Kind.BOOLEAN);
        flag("no-groups", "skychat.group.enabled", Kind.NEGATED);
        flag("group-pow-bits", "skychat.group.pow-bits", Kind.VALUE);
    }

    private static void flag(String name, String property, Kind kind) {
        FLAGS.put(name, new Flag(property, kind));
    }

    private CommandLineFlags() {
    }

    /** Returns Spring arguments; throws {@link IllegalArgumentException} with a one-line message on bad flags. */
    public static String[] toSpringArguments(String[] args) {
        List<String> out = new ArrayList<>();
        Map<String, Integer> repeated = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("-") || arg.equals("-") || arg.equals("--")) {
                throw new IllegalArgumentException("unexpected argument \"" + arg + "\"");
            }
            String body = arg.startsWith("--") ? arg.substring(2) : arg.substring(1);
            int eq = body.indexOf('=');
            String name = eq < 0 ? body : body.substring(0, eq);
            String inline = eq < 0 ? null : body.substring(eq + 1);
            Flag flag = FLAGS.get(name);
            if (flag == null) {
                if (arg.startsWith("--") && name.contains(".") && inline != null) {
                    out.add(arg); // a Spring property such as --logging.level.root=debug
                    continue;
                }
                throw new IllegalArgumentException("unknown flag " + arg.split("=", 2)[0]
                        + " (see README.md for the flags skychat accepts)");
            }
            String value;
            if (flag.kind() == Kind.BOOLEAN || flag.kind() == Kind.NEGATED) {
                value = inline == null ? "true" : inline;
                if (!value.equals("true") && !value.equals("false")) {
                    throw new IllegalArgumentException("flag --" + name + " takes true or false, got \"" + value + "\"");
                }
                if (flag.kind() == Kind.NEGATED) {
                    value = String.valueOf(!Boolean.parseBoolean(value));
                }
            } else if (inline != null) {
                value = inline;
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("flag --" + name + " needs a value");
            }
            if (flag.kind() == Kind.REPEATED) {
                int index = repeated.merge(flag.property(), 1, Integer::sum) - 1;
                out.add("--" + flag.property() + "[" + index + "]=" + value);
            } else {
                out.add("--" + flag.property() + "=" + value);
            }
        }
        return out.toArray(String[]::new);
    }
}
