package io.skychat.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.skychat.core.TransportKind;
import org.springframework.shell.core.command.completion.CompletionContext;
import org.springframework.shell.core.command.completion.CompletionProposal;
import tools.jackson.databind.JsonNode;

/**
 * What Tab offers after a verb, from the verb's own option list: its flags; for a {@code pk|alias} value
 * the aliases, the peers the service has history with ({@code /history/peers}) and pairing peers
 * ({@code /pair}); group ids for a group value ({@code /group}); networks and channels by name. A route the
 * service lacks or has switched off (404, 503), or a service that does not answer, just adds nothing.
 */
final class ShellCompletion {

    private static final List<String> CHANNELS = List.of("dm", "group", "pair", "system", "all");

    private final Session session;
    private final CliEnv env;

    ShellCompletion(Session session, CliEnv env) {
        this.session = session;
        this.env = env;
    }

    /** Proposals for the current word of a line starting with {@code verb} (null: the help command). */
    List<CompletionProposal> propose(Verb verb, CompletionContext context) {
        List<String> words = context.getWords();
        int index = context.getWordIndex();
        String current = index < words.size() ? words.get(index) : "";
        if (verb == null) {
            return index == 1 ? values(new ArrayList<>(Cli.verbs().keySet())) : List.of();
        }
        List<Args.Option> all = new ArrayList<>(verb.options());
        all.addAll(Args.GLOBAL);
        Args.Option previous = index >= 2 ? valueOption(all, words.get(index - 1)) : null;
        if (previous != null) {
            return values(valuesFor(previous));
        }
        List<CompletionProposal> proposals = values(positional(verb, words, index));
        if (current.isEmpty() || current.startsWith("-")) {
            for (Args.Option o : all) {
                proposals.add(new CompletionProposal("--" + o.longName()).description(o.description())
                        .complete(true));
            }
        }
        return proposals;
    }

    private static Args.Option valueOption(List<Args.Option> options, String word) {
        for (Args.Option o : options) {
            if (o.takesValue() && (word.equals("--" + o.longName()) || (o.shortName() != 0 && word.equals("-" + o.shortName())))) {
                return o;
            }
        }
        return null;
    }

    private List<String> positional(Verb verb, List<String> words, int index) {
        return switch (verb.name()) {
            case "alias" -> index == 1 ? List.of("add", "ls", "rm")
                    : index == 2 && words.get(1).equals("rm") ? aliasNames() : List.of();
            case "completion" -> index == 1 ? List.of("bash") : List.of();
            default -> List.of();
        };
    }

    private List<String> valuesFor(Args.Option option) {
        String value = option.valueName() == null ? "" : option.valueName();
        if (value.contains("pk")) {
            return peers();
        }
        if (option.longName().equals("net")) {
            List<String> nets = new ArrayList<>();
            for (TransportKind k : TransportKind.values()) {
                nets.add(k.label());
            }
            return nets;
        }
        if (option.longName().equals("channel")) {
            return CHANNELS;
        }
        if (option.longName().equals("group") || value.contains("group")) {
            return remote("/group", "id", "group_id");
        }
        return List.of();
    }

    List<String> aliasNames() {
        try {
            return new ArrayList<>(Aliases.load(env).entries().keySet());
        } catch (CliException e) {
            return List.of();
        }
    }

    /** Aliases first, then the keys of peers the service knows from its history and from pairing. */
    List<String> peers() {
        Set<String> all = new LinkedHashSet<>(aliasNames());
        all.addAll(remote("/history/peers", "pk", "peer"));
        all.addAll(remote("/pair", "peer_pk"));
        return new ArrayList<>(all);
    }

    /** The strings of a JSON array answer (or of the objects' {@code fields}); nothing on any failure. */
    private List<String> remote(String path, String... fields) {
        ServiceClient.Response r;
        try {
            r = session.service(env).get(path);
        } catch (CliException e) {
            return List.of();
        }
        if (!r.ok()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        try {
            JsonNode root = Json.MAPPER.readTree(r.body());
            JsonNode list = root;
            if (root.isObject()) {
                list = null;
                for (JsonNode child : root) {
                    if (child.isArray()) {
                        list = child;
                        break;
                    }
                }
            }
            if (list == null) {
                return List.of();
            }
            for (JsonNode item : list) {
                if (item.isString()) {
                    out.add(item.asString());
                } else if (item.isObject()) {
                    for (String f : fields) {
                        JsonNode v = item.get(f);
                        if (v != null && v.isString()) {
                            out.add(v.asString());
                            break;
                        }
                    }
                }
            }
        } catch (RuntimeException notJson) {
            return List.of();
        }
        return out;
    }

    private static List<CompletionProposal> values(List<String> values) {
        List<CompletionProposal> proposals = new ArrayList<>();
        for (String v : values) {
            proposals.add(new CompletionProposal(v).complete(true));
        }
        return proposals;
    }
}
