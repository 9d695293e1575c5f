package io.skychat.api;

import java.time.Duration;

import io.skychat.api.dto.SendMessageRequest;
import io.skychat.api.dto.SendMessageResponse;
import io.skychat.core.ChatService;
import io.skychat.core.MessageId;
import io.skychat.core.Envelope;
import io.skychat.core.PeerKey;
import io.skychat.transport.codec.ChatFrames;
import io.skychat.transport.codec.EnvelopeCodec;
import io.skychat.core.SendCommand;
import io.skychat.core.SendReceipt;
import io.skychat.core.SkychatException;
import io.skychat.core.TransportKind;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

@RestController
class MessageController {

    private final ChatService chat;

    MessageController(ChatService chat) {
        this.chat = chat;
    }

    @PostMapping(path = "/message", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<SendMessageResponse>> send(@RequestBody(required = false) SendMessageRequest request) {
        return Mono.fromCallable(() -> checkSize(toCommand(request)))
                .flatMap(chat::send)
                .map(MessageController::toResponse);
    }

    /**
     * The wire decides what can be sent: the chat-msg envelope around the text must fit one 65,536-byte
     * frame. {@code --persist-max-size} only limits what history keeps.
     */
    static SendCommand checkSize(SendCommand command) {
        byte[] envelope = EnvelopeCodec.encode(new Envelope.ChatMsg(MessageId.random(), command.text(), true,
                command.replyTo()));
        if (envelope.length > ChatFrames.MAX_PAYLOAD) {
            throw SkychatException.messageTooLarge(envelope.length, ChatFrames.MAX_PAYLOAD,
                    "the chat-msg envelope around the text must fit one frame");
        }
        return command;
    }

    static SendCommand toCommand(SendMessageRequest request) {
        if (request == null) {
            throw SkychatException.badRequest("request body is required: {\"recipient\":\"<pk>\",\"message\":\"…\"}");
        }
        PeerKey recipient;
        try {
            recipient = PeerKey.parse(request.recipient());
        } catch (IllegalArgumentException e) {
            throw SkychatException.invalidRecipient("recipient: " + e.getMessage());
        }
        TransportKind network = null;
        boolean auto = false;
        if (request.network() != null && !request.network().isBlank()) {
            if (request.network().strip().equalsIgnoreCase("auto")) {
                auto = true; // an open link if there is one, else dmsg
            } else {
                try {
                    network = TransportKind.parse(request.network());
                } catch (IllegalArgumentException e) {
                    throw SkychatException.badRequest("network: " + e.getMessage() + " (or auto)");
                }
            }
        }
        MessageId replyTo = null;
        if (request.replyTo() != null && !request.replyTo().isBlank()) {
            replyTo = MessageId.parseOrNull(request.replyTo());
            if (replyTo == null) {
                throw SkychatException.badRequest("reply_to must be a 16-hex-character message id");
            }
        }
        Duration wait = request.waitMs() == null || request.waitMs() <= 0 ? null : Duration.ofMillis(request.waitMs());
        return new SendCommand(recipient, request.message(), network, wait, replyTo, auto);
    }

    static ResponseEntity<SendMessageResponse> toResponse(SendReceipt receipt) {
        String network = receipt.network().label();
        String status = receipt.state().label();
        if (receipt.acked() == null) {
            return ResponseEntity.ok(new SendMessageResponse(null, receipt.id().value(), null, null, network, status));
        }
        long ms = receipt.elapsed().toMillis();
        if (receipt.acked()) {
            return ResponseEntity.ok(new SendMessageResponse(true, receipt.id().value(), null, ms, network, status));
        }
        return ResponseEntity.status(HttpStatus.GATEWAY_TIMEOUT)
                .body(new SendMessageResponse(false, receipt.id().value(), "timeout", ms, network, status));
    }
}
