package io.skychat.cli;

import java.util.List;
import java.util.Map;

import io.skychat.crypto.KeyPair;

/** {@code skychat gen-keys}: a new key pair, like {@code skywire cli config gen-keys}; needs no service. */
final class GenKeysVerb implements Verb {

    @Override
    public String name() {
        return "gen-keys";
    }

    @Override
    public String summary() {
        return "print a new key pair: public key, then secret key";
    }

    @Override
    public String synopsis() {
        return "skychat gen-keys [--json]";
    }

    @Override
    public List<Args.Option> options() {
        return List.of();
    }

    @Override
    public List<String> examples() {
        return List.of("skychat gen-keys", "sk=$(skychat gen-keys | sed -n 2p); skychat --standalone --sk \"$sk\"");
    }

    @Override
    public int run(Call call) {
        if (!call.args().positional().isEmpty()) {
            throw CliException.usage("takes no arguments");
        }
        KeyPair key = KeyPair.generate();
        try {
            if (call.json()) {
                call.out().println(JsonText.write(Map.of("public_key", key.publicKey().hex(), "secret_key", key.secretHex())));
            } else {
                call.out().println(key.publicKey().hex());
                call.out().println(key.secretHex());
            }
        } finally {
            key.destroy();
        }
        return Cli.OK;
    }
}
