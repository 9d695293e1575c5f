package io.skychat.groups;

/**
 * What a join attempt came to.
 *
 * @param status {@code admitted}, {@code pending}, {@code denied}, {@code banned}, {@code unavailable} or
 *               {@code throttled} (upstream's join statuses)
 * @param reason why, when the group said (may be empty)
 * @param group  the group as recorded here after the attempt
 */
public record JoinOutcome(String status, String reason, GroupView group) {
}
