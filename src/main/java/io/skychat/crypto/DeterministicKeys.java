package io.skychat.crypto;

import java.math.BigInteger;

/**
 * skycoin's secp256k1-go {@code GenerateDeterministicKeyPair}, kept step by step so the tests can
 * compare every intermediate value with the upstream vectors.
 */
final class DeterministicKeys {

    /** Intermediate values named as in keys.json. */
    record Derivation(byte[] hash, byte[] seckey1, byte[] pubkey2, byte[] ecdhRawPoint, byte[] seed1,
                      byte[] seed2, byte[] secret, int iterationsForSecret) {
    }

    private record Step(byte[] value, int iterations) {
    }

    private DeterministicKeys() {
    }

    static Derivation derive(byte[] seed) {
        if (seed == null || seed.length == 0) {
            throw new IllegalArgumentException("seed must not be empty");
        }
        // seed1 = Secp256k1Hash(seed): an ECDH between two keys derived from SHA256(seed).
        byte[] hash = Secp256k1.sha256(seed);
        byte[] seckey1 = step(hash).value();
        byte[] pubkey2 = Secp256k1.publicKeyBytes(new BigInteger(1, step(Secp256k1.sha256(hash)).value()));
        byte[] ecdhRawPoint = Secp256k1.sharedPoint(new BigInteger(1, seckey1), Secp256k1.decodeOrNull(pubkey2));
        byte[] seed1 = Secp256k1.sha256(hash, ecdhRawPoint);
        byte[] seed2 = Secp256k1.sha256(seed, seed1);
        Step sk = step(seed2);
        return new Derivation(hash, seckey1, pubkey2, ecdhRawPoint, seed1, seed2, sk.value(), sk.iterations());
    }

    /** Hashes until the result is a valid secret (0 < x < n); at least once. */
    private static Step step(byte[] x) {
        int iterations = 0;
        do {
            x = Secp256k1.sha256(x);
            iterations++;
        } while (!Secp256k1.isValidSecret(x));
        return new Step(x, iterations);
    }
}
