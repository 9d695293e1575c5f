package io.skychat.pairs;

import java.time.Duration;

/**
 * @param maxText          largest message text, UTF-8 bytes (a bigger one is refused; a bigger leaf is dropped)
 * @param rotateAfter      messages sealed in one epoch before our ratchet key rotates (upstream: 512)
 * @param rotateAge        age of an epoch after which it rotates at the next send (upstream: 24 h)
 * @param inviteRetryMin   first wait before an unanswered invite is sent again
 * @param inviteRetryMax   longest wait between two invite attempts
 * @param subscribeRetryMax longest wait before following the peer's feed again after a refusal or failure
 */
public record PairSettings(int maxText, int rotateAfter, Duration rotateAge, Duration inviteRetryMin,
                           Duration inviteRetryMax, Duration subscribeRetryMax) {

    public static final PairSettings DEFAULTS = new PairSettings(4096, 512, Duration.ofHours(24),
            Duration.ofSeconds(2), Duration.ofMinutes(5), Duration.ofMinutes(1));

    public PairSettings {
        if (maxText < 1 || rotateAfter < 1 || rotateAge.isNegative() || rotateAge.isZero()
                || inviteRetryMin.isNegative() || inviteRetryMin.isZero() || inviteRetryMax.compareTo(inviteRetryMin) < 0
                || subscribeRetryMax.isNegative() || subscribeRetryMax.isZero()) {
            throw new IllegalArgumentException("pair settings out of range: " + maxText + ", " + rotateAfter + ", "
                    + rotateAge + ", " + inviteRetryMin + ".." + inviteRetryMax + ", " + subscribeRetryMax);
        }
    }
}
