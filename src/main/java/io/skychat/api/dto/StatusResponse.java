package io.skychat.api.dto;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code GET /status}: every field upstream reports, zero or empty where a feature is not running, then this
 * node's own: the stream cap and what was refused at it, and connections refused or failed at accept, and
 * one entry per network the node runs.
 */
public record StatusResponse(
        @JsonProperty("visor_pk") String visorPk,
        @JsonProperty("sse_subscribers") int sseSubscribers,
        @JsonProperty("active_peer_conns") int activePeerConns,
        @JsonProperty("peers") List<String> peers,
        @JsonProperty("persistence_enabled") boolean persistenceEnabled,
        @JsonProperty("pairing_enabled") boolean pairingEnabled,
        @JsonProperty("frame_proto_version") int frameProtoVersion,
        @JsonProperty("schema_version") String schemaVersion,
        @JsonProperty("app_uptime_sec") long appUptimeSec,
        @JsonProperty("inbound_msg_count") long inboundMsgCount,
        @JsonProperty("outbound_msg_count") long outboundMsgCount,
        @JsonProperty("inbound_drop_count") long inboundDropCount,
        @JsonProperty("outbound_fail_count") long outboundFailCount,
        @JsonProperty("outbound_retry_count") long outboundRetryCount,
        @JsonProperty("outbound_fallback_count") long outboundFallbackCount,
        @JsonProperty("sse_drop_count") long sseDropCount,
        @JsonProperty("inbound_not_kept_count") long inboundNotKeptCount,
        @JsonProperty("last_rx_ts") String lastRxTs,
        @JsonProperty("last_send_ts") String lastSendTs,
        @JsonProperty("groups") List<GroupStatus> groups,
        @JsonProperty("open_streams") int openStreams,
        @JsonProperty("max_streams") int maxStreams,
        @JsonProperty("stream_refused_count") long streamRefusedCount,
        @JsonProperty("http_conn_refused_count") long httpConnRefusedCount,
        @JsonProperty("http_accept_error_count") long httpAcceptErrorCount,
        @JsonProperty("networks") List<NetworkStatus> networks) {

    /** Without the per-network section (as before it existed). */
    public StatusResponse(String visorPk, int sseSubscribers, int activePeerConns, List<String> peers,
                          boolean persistenceEnabled, boolean pairingEnabled, int frameProtoVersion, String schemaVersion,
                          long appUptimeSec, long inboundMsgCount, long outboundMsgCount, long inboundDropCount,
                          long outboundFailCount, long outboundRetryCount, long outboundFallbackCount, long sseDropCount,
                          long inboundNotKeptCount, String lastRxTs, String lastSendTs, List<GroupStatus> groups,
                          int openStreams, int maxStreams, long streamRefusedCount, long httpConnRefusedCount,
                          long httpAcceptErrorCount) {
        this(visorPk, sseSubscribers, activePeerConns, peers, persistenceEnabled, pairingEnabled, frameProtoVersion,
                schemaVersion, appUptimeSec, inboundMsgCount, outboundMsgCount, inboundDropCount, outboundFailCount,
                outboundRetryCount, outboundFallbackCount, sseDropCount, inboundNotKeptCount, lastRxTs, lastSendTs, groups,
                openStreams, maxStreams, streamRefusedCount, httpConnRefusedCount, httpAcceptErrorCount, List.of());
    }

    /**
     * One network: its label ({@code tcp-direct}, {@code dmsg}, {@code skynet}), whether it can carry traffic
     * now, its open chat links, and whether it carries byte streams to other ports (CXO feeds) besides chat.
     */
    public record NetworkStatus(
            @JsonProperty("network") String network,
            @JsonProperty("up") boolean up,
            @JsonProperty("links") long links,
            @JsonProperty("streams") boolean streams) {
    }

    public record GroupStatus(
            @JsonProperty("id") String id,
            @JsonProperty("name") String name,
            @JsonProperty("role") String role,
            @JsonProperty("status") String status,
            @JsonProperty("members_count") int membersCount,
            @JsonProperty("last_message_at") String lastMessageAt,
            @JsonProperty("lag_seconds") long lagSeconds,
            @JsonProperty("subscriber_alive") boolean subscriberAlive,
            @JsonProperty("sub_drop_count") long subDropCount) {
    }
}
