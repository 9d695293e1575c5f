package io.skychat.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Everything an operator can set, under {@code skychat.*}. Upstream's flags ({@code --addr}, {@code --sk},
 * {@code --tcp-peer}, …) are translated onto these names by {@link CommandLineFlags}, so the same settings
 * also come from {@code application.yml} or environment variables ({@code SKYCHAT_TCP_LISTEN}, …).
 *
 * @param standalone     run without a visor: TCP-direct (and later CXO) only
 * @param addr           control surface address: {@code :P} = loopback, {@code *:P} = all interfaces
 * @param managementAddr actuator address; default loopback on the control port + 1000
 * @param sk             identity secret key, 64 hex
 * @param config         a skywire-config.json whose {@code sk} field is the identity
 * @param workDir        where the node keeps its state
 * @param auth           who may use the control surface
 * @param security       which Host and Origin headers the control surface answers
 * @param limits         caps on request bodies, slow clients, chatty peers, connections and streams
 * @param visor          attaching to a visor: as its child ({@code PROC_CONFIG}) or beside it
 */
@ConfigurationProperties("skychat")
public record SkychatProperties(
        @DefaultValue("false") boolean standalone,
        @DefaultValue(":8001") String addr,
        String managementAddr,
        String sk,
        Path config,
        @DefaultValue("./skychat-data") Path workDir,
        @DefaultValue Tcp tcp,
        @DefaultValue Dmsg dmsg,
        @DefaultValue Cxo cxo,
        @DefaultValue Sse sse,
        @DefaultValue Persist persist,
        @DefaultValue Outbox outbox,
        @DefaultValue Auth auth,
        @DefaultValue Security security,
        @DefaultValue Limits limits,
        @DefaultValue Visor visor,
        @DefaultValue Pair pair,
        @DefaultValue Group group) {

    /**
     * Groups over CXO feeds: on whenever a relay network (dmsg, or the visor's networks) and the node's secret
     * are there, as upstream; {@code --no-groups} turns them off.
     *
     * @param enabled           {@code --no-groups} sets false
     * @param maxText           largest group message, UTF-8 bytes
     * @param powBits           proof-of-work bits a group founded here asks of joiners (upstream 18, at most 26)
     * @param joinStagger       wait between asking the founder and each next admin (upstream 2 s)
     * @param joinTimeout       how long one admin has to answer (upstream 15 s)
     * @param pendingRetry      how often a pending join asks again (upstream about 30 s)
     * @param rosterRebroadcast how long after start-up an admin publishes the roster again (upstream about 3 s)
     * @param rateBurst         join requests taken at once per group (upstream 10)
     * @param rateRefill        one more join request per this long (upstream 10 min)
     * @param maxPending        join requests waiting for approval per group (upstream 64)
     * @param subscribeRetryMax longest wait before following a member's feed again after a failure
     * @param removeGrace       how long a removed member still gets our Roots, to learn it was removed
     */
    public record Group(@DefaultValue("true") boolean enabled, @DefaultValue("4096") int maxText,
                        @DefaultValue("18") int powBits, @DefaultValue("2s") Duration joinStagger,
                        @DefaultValue("15s") Duration joinTimeout, @DefaultValue("30s") Duration pendingRetry,
                        @DefaultValue("3s") Duration rosterRebroadcast, @DefaultValue("10") int rateBurst,
                        @DefaultValue("10m") Duration rateRefill, @DefaultValue("64") int maxPending,
                        @DefaultValue("1m") Duration subscribeRetryMax, @DefaultValue("2s") Duration removeGrace) {
    }

    /**
     * Pairs over CXO feeds ({@code --pair-enable}); off by default, as upstream.
     *
     * @param enabled           {@code --pair-enable}
     * @param maxText           largest pair message, UTF-8 bytes
     * @param rotateAfter       messages in one epoch before the ratchet rotates (upstream 512)
     * @param rotateAge         age of an epoch that rotates at the next send (upstream 24 h)
     * @param inviteRetryMin    first wait before an unanswered invite is sent again
     * @param inviteRetryMax    longest wait between invite attempts
     * @param subscribeRetryMax longest wait before following a peer's pair feed again after a failure
     */
    public record Pair(@DefaultValue("false") boolean enabled, @DefaultValue("4096") int maxText,
                       @DefaultValue("512") int rotateAfter, @DefaultValue("24h") Duration rotateAge,
                       @DefaultValue("2s") Duration inviteRetryMin, @DefaultValue("5m") Duration inviteRetryMax,
                       @DefaultValue("1m") Duration subscribeRetryMax) {
    }

    /**
     * @param listen    accept TCP-direct connections here ({@code :8800}, {@code 127.0.0.1:8800}); empty = off
     * @param peers     persistent outbound peers, {@code tcp://<pk>@host:port}
     * @param whitelist keys allowed to connect in; empty = any authenticated key
     */
    public record Tcp(String listen, @DefaultValue List<String> peers, @DefaultValue List<String> whitelist,
                      @DefaultValue("10s") Duration dialTimeout, @DefaultValue("10s") Duration handshakeTimeout,
                      @DefaultValue("1s") Duration backoffMin, @DefaultValue("60s") Duration backoffMax,
                      @DefaultValue("1024") int maxConnections, @DefaultValue("32") int maxHalfOpenPerIp) {
    }

    /**
     * dmsg under the node's own key (standalone only; under a visor the visor owns dmsg).
     *
     * @param enabled  {@code --dmsg}: standalone, keep sessions with dmsg servers and accept chat streams on
     *                 port 1 (off unless set); under a visor, chat over the visor's dmsg (on unless false)
     * @param disc     {@code --dmsg-disc}: the dmsg-discovery base URL
     * @param sessions {@code --dmsg-sessions}: how many servers to keep a session with
     * @param servers  {@code --dmsg-server <pk>@host:port}: servers to use without asking discovery
     */
    public record Dmsg(Boolean enabled,
                       @DefaultValue("http://dmsgd.skywire.skycoin.com") String disc,
                       @DefaultValue("1") int sessions, @DefaultValue List<String> servers,
                       @DefaultValue("10s") Duration callTimeout, @DefaultValue("10s") Duration dialTimeout,
                       @DefaultValue("5s") Duration handshakeTimeout,
                       @DefaultValue("1s") Duration backoffMin, @DefaultValue("60s") Duration backoffMax,
                       @DefaultValue("30s") Duration keepAlive, @DefaultValue("10s") Duration keepAliveTimeout,
                       @DefaultValue("5m") Duration entryRefresh) {
    }

    /**
     * CXO feeds over TCP with Noise XX; off unless {@code listen} or {@code peers} is set.
     *
     * @param listen           accept CXO connections here ({@code :8802}, {@code 127.0.0.1:8802}); empty = off
     * @param peers            connections kept up, {@code tcp://<pk>@host:port}
     * @param heartbeat        a quiet published feed is republished this often
     * @param idleTimeout      a connection silent this long, carrying no feed, is closed
     * @param pingAfter        ping a connection silent this long; unset = never (upstream closes on a Ping)
     * @param maxFillTime      a fill of a followed feed not complete after this is abandoned
     * @param maxFillObjects   a fill needing more objects is abandoned
     * @param maxFillBytes     a fill needing more bytes is abandoned
     * @param maxFrame         largest node frame read from a peer
     * @param subscriberBuffer leaves waiting for a slow consumer before its subscription fails
     */
    public record Cxo(String listen, @DefaultValue List<String> peers,
                      @DefaultValue("10s") Duration dialTimeout, @DefaultValue("30s") Duration handshakeTimeout,
                      @DefaultValue("1s") Duration backoffMin, @DefaultValue("60s") Duration backoffMax,
                      @DefaultValue("256") int maxConnections, @DefaultValue("45s") Duration heartbeat,
                      @DefaultValue("90s") Duration idleTimeout, Duration pingAfter,
                      @DefaultValue("10m") Duration maxFillTime,
                      @DefaultValue("200000") int maxFillObjects, @DefaultValue("256MB") DataSize maxFillBytes,
                      @DefaultValue("16MB") DataSize maxFrame, @DefaultValue("10000") int subscriberBuffer) {
    }

    /**
     * How the node reaches its visor. As the visor's child everything comes from {@code PROC_CONFIG}; beside
     * it (another process or container) {@code appServer} and {@code rpc} name the visor's ports.
     *
     * @param appServer   {@code --app-server host:5505}: the visor's app server (launcher {@code server_addr})
     * @param rpc         {@code --visor-rpc host:3435}: the visor's CLI RPC, where this node registers itself
     * @param pk          {@code --visor-pk}: the visor's key when attaching beside it (else {@code -c}'s {@code pk})
     * @param skynet      chat over skynet ({@code --skynet}, on by default)
     * @param pairRpc     {@code --pair-rpc}: the visor RPC that pairing would use (accepted and reported)
     * @param callTimeout deadline of each call to the visor except the blocking Accept and Read
     * @param dialTimeout deadline of a Dial through the visor
     */
    public record Visor(String appServer, String rpc, String pk, @DefaultValue("true") boolean skynet,
                        @DefaultValue("localhost:3435") String pairRpc,
                        @DefaultValue("10s") Duration callTimeout, @DefaultValue("20s") Duration dialTimeout,
                        @DefaultValue("1s") Duration backoffMin, @DefaultValue("30s") Duration backoffMax) {
    }

    /**
     * Upstream's {@code --persist-*} options with upstream's defaults; history is on by default here.
     *
     * @param db          database file; default {@code <work-dir>/skychat-history.db}
     * @param perPeerRate {@code 20/min}, {@code 5/s} or a bare number (per minute); 0 = unlimited
     * @param totalCap    {@code 10MB}, {@code 512KB} or a bare number (MB, as upstream)
     * @param ttl         {@code 30d}, {@code 12h} or a bare number (days, as upstream); 0 = keep
     * @param whitelist   file with one peer key per line ({@code #} comments): only their history is kept
     */
    public record Persist(@DefaultValue("true") boolean enabled, Path db, @DefaultValue("4096") int maxSize,
                          @DefaultValue("20/min") String perPeerRate, @DefaultValue("500") int perPeerCap,
                          @DefaultValue("10MB") String totalCap, @DefaultValue("30d") String ttl, Path whitelist,
                          @DefaultValue("50") int seed) {
    }

    /**
     * @param expiry     an undelivered message is given up (failed) after this long
     * @param window     messages written to a peer before the oldest is acknowledged
     * @param ackTimeout no ack for this long means the link is dead: resend
     */
    public record Outbox(@DefaultValue("48h") Duration expiry, @DefaultValue("32") int window,
                         @DefaultValue("15s") Duration ackTimeout) {
    }

    /** @param pingInterval how often an idle SSE stream gets a {@code : ping} comment */
    public record Sse(@DefaultValue("15s") Duration pingInterval) {
    }

    /**
     * @param tokenFile    the bearer token file; default {@code <work-dir>/api.token}, created on first start
     * @param disabled     {@code --no-auth}: answer anyone who passes the Host and Origin checks
     * @param passwordFile a bcrypt hash; when set, HTTP Basic with that password is accepted too
     */
    public record Auth(Path tokenFile, @DefaultValue("false") boolean disabled, Path passwordFile) {
    }

    /**
     * @param allowedHosts   Host header values answered besides loopback names and the bound address
     * @param allowedOrigins cross-origin {@code Origin} values allowed to call the surface
     */
    public record Security(@DefaultValue List<String> allowedHosts, @DefaultValue List<String> allowedOrigins) {
    }

    /**
     * @param maxBodySize    largest request body the control surface reads
     * @param readTimeout    longest gap between two reads of a request body
     * @param requestTimeout longest time to receive a whole request body
     * @param peerRate       inbound chat messages each peer may send
     * @param maxStreams     open {@code /sse} and {@code /events} streams together; {@code auto} derives it
     *                       from the descriptor limit (see {@link DescriptorBudget})
     * @param maxConnections open HTTP connections to the control surface; {@code auto} derives it likewise
     */
    public record Limits(@DefaultValue("1MB") DataSize maxBodySize, @DefaultValue("10s") Duration readTimeout,
                         @DefaultValue("30s") Duration requestTimeout, @DefaultValue PeerRate peerRate,
                         @DefaultValue(DescriptorBudget.AUTO) String maxStreams,
                         @DefaultValue(DescriptorBudget.AUTO) String maxConnections) {

        public Limits {
            if (maxBodySize.toBytes() < 1) {
                throw new IllegalArgumentException("skychat.limits.max-body-size must be positive");
            }
            if (readTimeout.isNegative() || readTimeout.isZero() || requestTimeout.isNegative() || requestTimeout.isZero()) {
                throw new IllegalArgumentException("skychat.limits read and request timeouts must be positive");
            }
            DescriptorBudget.parseCap(maxStreams, "--max-streams");
            DescriptorBudget.parseCap(maxConnections, "--max-connections");
        }
    }

    /** A token bucket per peer: {@code perSecond} refill, up to {@code burst} messages at once. */
    public record PeerRate(@DefaultValue("50") double perSecond, @DefaultValue("500") int burst) {

        public PeerRate {
            if (!(perSecond > 0) || burst < 1) {
                throw new IllegalArgumentException("skychat.limits.peer-rate needs per-second > 0 and burst >= 1");
            }
        }
    }
}
