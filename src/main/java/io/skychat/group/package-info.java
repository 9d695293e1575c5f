/**
 * skychat groups as upstream {@code pkg/skychat/group} defines them, with no I/O: kinds and roles, invite
 * links and addresses, the join proof of work and join messages, signed (and sealed) message leaves,
 * signed roster/admin mutations, key rotation and the governance state they drive. The service that
 * carries them over feeds is {@code io.skychat.groups}.
 */
package io.skychat.group;
