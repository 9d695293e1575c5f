package io.skychat.support;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;

import io.skychat.core.Envelope;
import io.skychat.core.PeerKey;
import io.skychat.crypto.KeyPair;
import io.skychat.crypto.NoiseCipher;
import io.skychat.crypto.NoiseException;
import io.skychat.crypto.NoiseFraming;
import io.skychat.crypto.NoiseHandshake;
import io.skychat.transport.codec.ChatFrames;
import io.skychat.transport.codec.EnvelopeCodec;

/**
 * A TCP-direct peer built from the crypto primitives and a blocking socket, so a test can do what the real
 * transport never would: replay a frame, reorder nonces, send a bad chat length inside a valid noise frame.
 */
public final class RawNoiseClient implements AutoCloseable {

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private NoiseCipher cipher;

    private RawNoiseClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Opens a socket without saying anything: a half-open connection. */
    public static RawNoiseClient open(int port) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        return new RawNoiseClient(socket);
    }

    /** Connects and runs the XK handshake as initiator, pinning {@code server}'s key. */
    public static RawNoiseClient handshake(int port, KeyPair self, PeerKey server) throws IOException, NoiseException {
        RawNoiseClient c = open(port);
        NoiseHandshake hs = NoiseHandshake.xkInitiator(self, server);
        c.write(NoiseFraming.prefix(hs.writeMessage()));
        hs.readMessage(c.readRaw());
        c.write(NoiseFraming.prefix(hs.writeMessage()));
        c.cipher = hs.split();
        return c;
    }

    /** Connects and runs the XX handshake as initiator (CXO over TCP); returns the key the server proved. */
    public static RawNoiseClient xxHandshake(int port, KeyPair self) throws IOException, NoiseException {
        RawNoiseClient c = open(port);
        NoiseHandshake hs = NoiseHandshake.xxInitiator(self);
        c.write(NoiseFraming.prefix(hs.writeMessage()));
        hs.readMessage(c.readRaw());
        c.write(NoiseFraming.prefix(hs.writeMessage()));
        c.cipher = hs.split();
        return c;
    }

    /** Reads one noise frame and returns its plaintext. */
    public byte[] readPlain() throws IOException, NoiseException {
        return cipher.open(readRaw());
    }

    /** One noise frame as it goes on the wire (length prefix included), sealing {@code plaintext} with the next nonce. */
    public byte[] seal(byte[] plaintext) {
        return NoiseFraming.prefix(cipher.seal(plaintext));
    }

    /** A whole chat frame holding {@code envelope}, sealed into one noise frame. */
    public byte[] sealChat(Envelope envelope) {
        return seal(ChatFrames.encode(EnvelopeCodec.encode(envelope)));
    }

    /** A chat frame as upstream writes it: the 4-byte header and the payload in two noise frames. */
    public byte[][] sealChatAsUpstream(Envelope envelope) {
        byte[] frame = ChatFrames.encode(EnvelopeCodec.encode(envelope));
        return new byte[][] {seal(java.util.Arrays.copyOf(frame, ChatFrames.HEADER)),
                seal(java.util.Arrays.copyOfRange(frame, ChatFrames.HEADER, frame.length))};
    }

    public void write(byte[]... chunks) throws IOException {
        for (byte[] c : chunks) {
            out.write(c);
        }
        out.flush();
    }

    /** Reads one noise frame and the one chat frame inside it. */
    public Envelope readEnvelope() throws IOException, NoiseException {
        byte[] plain = cipher.open(readRaw());
        byte[] payload = ChatFrames.tryDecode(ByteBuffer.wrap(plain));
        if (payload == null || plain.length != ChatFrames.HEADER + payload.length) {
            throw new IOException("expected exactly one chat frame in a noise frame, got " + plain.length + " bytes");
        }
        return EnvelopeCodec.decode(payload);
    }

    /** True when the other side closes (or resets) the connection within {@code within}. */
    public boolean closedByPeer(Duration within) throws IOException {
        socket.setSoTimeout((int) within.toMillis());
        try {
            while (in.read() >= 0) {
                // drain whatever was sent before the close
            }
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (SocketException reset) {
            return true;
        }
    }

    private byte[] readRaw() throws IOException {
        int length = in.readUnsignedShort();
        byte[] body = new byte[length];
        in.readFully(body);
        return body;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
