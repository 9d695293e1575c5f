package io.skychat.api;

import java.util.ArrayList;
import java.util.List;

import io.skychat.api.dto.ReadReceiptRequest;
import io.skychat.core.ChatService;
import io.skychat.core.MessageId;
import io.skychat.core.PeerKey;
import io.skychat.core.SkychatException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code POST /read-receipt}: tells the sender its messages were shown ({@code chat-read}). */
@RestController
class ReadReceiptController {

    private final ChatService chat;

    ReadReceiptController(ChatService chat) {
        this.chat = chat;
    }

    @PostMapping(path = "/read-receipt", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> read(@RequestBody(required = false) ReadReceiptRequest request) {
        return Mono.defer(() -> {
            if (request == null) {
                throw SkychatException.badRequest("request body is required: {\"pk\":\"<pk>\",\"id\":\"<id>\"}");
            }
            PeerKey peer = PeerKeys.parse(request.pk(), "pk");
            List<String> raw = new ArrayList<>();
            if (request.id() != null) {
                raw.add(request.id());
            }
            if (request.ids() != null) {
                raw.addAll(request.ids());
            }
            if (raw.isEmpty()) {
                throw SkychatException.badRequest("give id or ids");
            }
            List<MessageId> ids = new ArrayList<>();
            for (String s : raw) {
                MessageId id = MessageId.parseOrNull(s);
                if (id == null) {
                    throw SkychatException.badRequest("\"" + s + "\" is not a 16-hex-character message id");
                }
                ids.add(id);
            }
            return chat.markRead(peer, ids);
        });
    }
}
