package io.skychat.groups;

import java.time.Duration;

/**
 * @param maxText            largest message text, UTF-8 bytes
 * @param powBits            proof-of-work bits a group founded here asks of joiners (upstream 18, at most 26)
 * @param joinStagger        wait between asking the founder and each next admin (upstream 2 s)
 * @param joinTimeout        how long one admin has to answer a join request (upstream 15 s)
 * @param pendingRetry       how often a pending join asks again (upstream about 30 s)
 * @param rosterRebroadcast  how long after start-up an admin publishes the full roster again (upstream about 3 s)
 * @param rateBurst          join requests an admin takes at once per group (upstream 10)
 * @param rateRefill         one more join request per this long (upstream 10 min)
 * @param maxPending         join requests waiting for approval per group (upstream 64)
 * @param subscribeRetryMax  longest wait before following a member's feed again after a failure
 * @param removeGrace        how long a removed member still gets our Roots, to learn of its removal (it cannot open
 *                           the new key they carry)
 */
public record GroupSettings(int maxText, int powBits, Duration joinStagger, Duration joinTimeout, Duration pendingRetry,
                            Duration rosterRebroadcast, int rateBurst, Duration rateRefill, int maxPending,
                            Duration subscribeRetryMax, Duration removeGrace) {

    public static final GroupSettings DEFAULTS = new GroupSettings(4096, 18, Duration.ofSeconds(2),
            Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofSeconds(3), 10, Duration.ofMinutes(10), 64,
            Duration.ofMinutes(1), Duration.ofSeconds(2));

    public GroupSettings {
        if (maxText < 1 || powBits < 0 || powBits > 26 || rateBurst < 1 || maxPending < 1
                || !positive(joinTimeout) || !positive(pendingRetry) || !positive(rateRefill)
                || !positive(subscribeRetryMax) || joinStagger.isNegative() || rosterRebroadcast.isNegative()
                || removeGrace.isNegative()) {
            throw new IllegalArgumentException("group settings out of range: max-text " + maxText + ", pow-bits "
                    + powBits + ", join " + joinStagger + "/" + joinTimeout + "/" + pendingRetry + ", rate " + rateBurst
                    + "/" + rateRefill + ", max-pending " + maxPending);
        }
    }

    private static boolean positive(Duration d) {
        return !d.isNegative() && !d.isZero();
    }
}
