package io.skychat.bench;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLongArray;

import io.skychat.core.Envelope;
import io.skychat.core.MessageId;

/**
 * Acked chat-msg runs over {@link NoiseFramedPeer} connections: one message at a time (send, wait for its
 * chat-ack, next), or pipelined (a window of unacked messages per connection, a writer and a reader thread
 * each). The same code measures the raw baseline and the service, so the two differ only in who answers.
 */
final class AckedRuns {

    private static final SecureRandom RANDOM = new SecureRandom();

    private AckedRuns() {
    }

    /** What a run measured: per-message ack latency and the wall time of the whole run. */
    record Result(Percentiles latency, int messages, double seconds) {
        double throughput() {
            return messages / seconds;
        }
    }

    /**
     * Message ids of one connection's run: a random 32-bit prefix (so a store that has seen earlier runs
     * sees new ids) and the message's sequence number, so an ack names the sample it closes.
     */
    record Ids(long prefix) {
        static Ids fresh() {
            return new Ids(RANDOM.nextInt() & 0xffffffffL);
        }

        MessageId id(int seq) {
            return new MessageId(HexFormat.of().toHexDigits((prefix << 32) | (seq & 0xffffffffL)));
        }

        /** The sequence number an ack's id carries, or -1 when the id is not one of this run's. */
        int seq(MessageId id) {
            long v = Long.parseUnsignedLong(id.value(), 16);
            return (v >>> 32) == prefix ? (int) v : -1;
        }
    }

    static Result sequential(NoiseFramedPeer peer, int count, String body) throws IOException {
        Ids ids = Ids.fresh();
        long[] latency = new long[count];
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long s = System.nanoTime();
            peer.send(new Envelope.ChatMsg(ids.id(i), body, true, null));
            while (true) {
                Envelope answer;
                try {
                    answer = peer.receive();
                } catch (java.net.SocketTimeoutException e) {
                    throw new IOException("no ack for " + ids.id(i) + " within 30 s", e);
                }
                if (answer instanceof Envelope.ChatAck ack) {
                    if (ids.seq(ack.id()) != i) {
                        throw new IOException("ack for " + ack.id() + " while waiting for " + ids.id(i));
                    }
                    break;
                }
            }
            latency[i] = System.nanoTime() - s;
        }
        return new Result(Percentiles.of(latency), count, (System.nanoTime() - start) / 1e9);
    }

    /** {@code total} messages spread over the connections, each keeping up to {@code window} unacked. */
    static Result pipelined(List<NoiseFramedPeer> peers, int total, int window, String body) throws Exception {
        int n = peers.size();
        long[][] latency = new long[n][];
        Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < n; p++) {
            int count = total / n + (p < total % n ? 1 : 0);
            NoiseFramedPeer peer = peers.get(p);
            Ids ids = Ids.fresh();
            Semaphore inFlight = new Semaphore(window);
            AtomicLongArray sent = new AtomicLongArray(count);
            long[] mine = new long[count];
            latency[p] = mine;
            java.util.concurrent.atomic.AtomicBoolean readerFailed = new java.util.concurrent.atomic.AtomicBoolean();
            threads.add(new Thread(() -> {
                try {
                    for (int i = 0; i < count; i++) {
                        inFlight.acquire();
                        if (readerFailed.get()) {
                            return; // no more acks will come; the reader's error says why
                        }
                        sent.set(i, System.nanoTime());
                        peer.send(new Envelope.ChatMsg(ids.id(i), body, true, null));
                    }
                } catch (Exception e) {
                    errors.add(e);
                }
            }, "load-writer-" + p));
            threads.add(new Thread(() -> {
                try {
                    for (int acked = 0; acked < count; ) {
                        if (peer.receive() instanceof Envelope.ChatAck ack) {
                            int seq = ids.seq(ack.id());
                            if (seq < 0 || seq >= count) {
                                throw new IOException("ack for " + ack.id() + ", not one of this run's ids");
                            }
                            mine[seq] = System.nanoTime() - sent.get(seq);
                            inFlight.release();
                            acked++;
                        }
                    }
                } catch (Exception e) {
                    errors.add(e instanceof java.net.SocketTimeoutException
                            ? new IOException("no ack for 30 s with up to " + window + " messages in flight", e) : e);
                    readerFailed.set(true);
                    inFlight.release(count); // wakes the writer so the run ends with the error, not a hang
                }
            }, "load-reader-" + p));
        }
        long start = System.nanoTime();
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!errors.isEmpty()) {
            Throwable first = errors.peek();
            throw new IOException("pipelined run failed: " + first.getMessage(), first);
        }
        long[] all = new long[total];
        int off = 0;
        for (long[] l : latency) {
            System.arraycopy(l, 0, all, off, l.length);
            off += l.length;
        }
        return new Result(Percentiles.of(all), total, seconds);
    }
}
