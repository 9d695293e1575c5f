package io.skychat.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;

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
 * One TCP-direct chat connection on a plain blocking socket, built from the service's own wire classes:
 * Noise XK ({@link NoiseHandshake}), uint16-prefixed Noise frames ({@link NoiseFraming}, {@link NoiseCipher}),
 * uint32-prefixed chat frames ({@link ChatFrames}) carrying envelopes ({@link EnvelopeCodec}). The load tool
 * dials the service with it exactly as a peer would, and the raw baseline runs it on both ends. One thread may
 * send while another receives.
 */
final class NoiseFramedPeer implements AutoCloseable {

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final NoiseCipher cipher;
    private final PeerKey remote;
    /** Decrypted bytes not yet taken as a chat frame: one chat frame may span several Noise frames. */
    private final ByteBuffer plain = ByteBuffer.allocate(ChatFrames.HEADER + ChatFrames.MAX_PAYLOAD
            + 2 * NoiseCipher.MAX_FRAME_LENGTH);
    private final byte[] body = new byte[NoiseCipher.MAX_FRAME_LENGTH];

    private NoiseFramedPeer(Socket socket, NoiseHandshake handshake) throws IOException {
        this.socket = socket;
        socket.setTcpNoDelay(true);
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
        this.out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
        try {
            while (!handshake.isComplete()) {
                if (handshake.isMyTurnToWrite()) {
                    out.write(NoiseFraming.prefix(handshake.writeMessage()));
                    out.flush();
                } else {
                    handshake.readMessage(readNoiseMessage());
                }
            }
            this.remote = handshake.remoteStatic();
            this.cipher = handshake.split();
        } catch (NoiseException e) {
            socket.close();
            throw new IOException("noise handshake failed: " + e.getMessage(), e);
        }
    }

    /** Dials {@code address} as the XK initiator, pinning the listener's key {@code remote}. */
    static NoiseFramedPeer dial(InetSocketAddress address, KeyPair local, PeerKey remote) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(address, 10_000);
            socket.setSoTimeout(30_000); // a run that stops getting answers fails instead of hanging
            return new NoiseFramedPeer(socket, NoiseHandshake.xkInitiator(local, remote));
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Answers an accepted socket as the XK responder. */
    static NoiseFramedPeer accept(Socket socket, KeyPair local) throws IOException {
        return new NoiseFramedPeer(socket, NoiseHandshake.xkResponder(local));
    }

    PeerKey remote() {
        return remote;
    }

    /** Encodes, frames, seals and flushes one envelope, as the service's codec and Noise handler do. */
    synchronized void send(Envelope envelope) throws IOException {
        byte[] frame = ChatFrames.encode(EnvelopeCodec.encode(envelope));
        for (byte[] noiseFrame : NoiseFraming.sealAll(cipher, frame)) {
            out.write(noiseFrame);
        }
        out.flush();
    }

    /** The next envelope, reassembled across Noise frames; blocks until it has arrived. */
    Envelope receive() throws IOException {
        while (true) {
            plain.flip();
            byte[] payload = ChatFrames.tryDecode(plain);
            plain.compact();
            if (payload != null) {
                return EnvelopeCodec.decode(payload);
            }
            int length = in.readUnsignedShort();
            if (length > NoiseCipher.MAX_FRAME_LENGTH) {
                throw new IOException("noise frame of " + length + " bytes exceeds " + NoiseCipher.MAX_FRAME_LENGTH);
            }
            in.readFully(body, 0, length);
            try {
                plain.put(cipher.open(java.util.Arrays.copyOf(body, length)));
            } catch (NoiseException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
    }

    private byte[] readNoiseMessage() throws IOException {
        byte[] message = new byte[in.readUnsignedShort()];
        in.readFully(message);
        return message;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
