/**
 * skychat groups as upstream {@code pkg/skychat/group} defines them, with no I/O: kinds and roles, invite links and
 * addresses, the join proof of work and join messages, signed (and sealed) message leaves, signed roster/admin
 * mutations, key rotation, the key ring and the governance state they drive. The service that carries them over
 * feeds is {@code io.skychat.groups}. Every artefact read from the network is decoded, then verified, then applied;
 * each refusal is a {@link io.skychat.group.GroupException} whose reason names the rule.
 *
 * <p>Byte for byte as upstream (invite.go, join.go, joincost.go, signing.go, gossip.go, keyrotate.go, keyring.go,
 * replay_guard.go, gossip_seal.go, address.go): invite JSON and base64url without padding; the PoW preimage (group id
 * as its UUID text); leaf canonical bytes and {@code SignPayload(SHA-256(canonical))}; roster/admin canonical bytes
 * {@code 0x01 ‖ uuid ‖ op ‖ peer ‖ parent_seq ‖ issued_at ‖ issuer}; key wraps, tags and the wrap digest; the
 * {@code "SKG1"} governance seal; JSON field names, order and omissions, with {@code []byte} as standard base64,
 * keys and signatures as hex (zero values as zeros) and times as RFC 3339 with trailing zeros trimmed.
 *
 * <p>Decisions where upstream is not known or not followed:
 * <ul>
 * <li>The key-rotation domain byte ({@code domainKey}) is 4, after roster, admin and moderation in the order the
 *     families appeared. Newer upstream also puts domain bytes in the roster/admin layouts; their values are not
 *     known either, so those layouts stay as the last published gossip.go (no domain byte).</li>
 * <li>Because the roster and admin layouts sign identical bytes, a governance leaf is only trusted when read from
 *     its issuer's own feed ({@code Governance.apply(m, fromFeed, now)}): a copied {@code add X} cannot pose as
 *     {@code promote X}.</li>
 * <li>Unsigned (legacy) message leaves are refused, not accepted with a warning.</li>
 * <li>Group ids must be canonical UUIDs everywhere (upstream's invite decoder takes any non-empty string).</li>
 * <li>A non-member's leaves are refused at the reader along with a banned key's and, in a channel, a non-admin's.</li>
 * <li>Roster and admin sets change independently (as upstream): an admin is a member whether or not it is on the
 *     roster, so removing an admin from the group takes a demote and a remove; in exchange every arrival order of
 *     the same leaves ends in the same state. The founder can be neither removed, demoted nor banned.</li>
 * <li>An add or promote lifts a ban on that key (moderation leaves, whose envelope is not implemented here, would
 *     otherwise be the only way back).</li>
 * <li>A legacy {@code aes_key} in a private invite is accepted and dropped: the key comes with the admission.</li>
 * <li>The ring keeps the current key plus 32 retired ones (upstream {@code maxKeyRing}); leaves carry no epoch, so
 *     a body is tried against every key, newest first.</li>
 * </ul>
 */
package io.skychat.group;
