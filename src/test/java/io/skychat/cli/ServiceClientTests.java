package io.skychat.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** How answers of the service become one line and an exit code. */
class ServiceClientTests {

    private static final String PROBLEM = "application/problem+json";

    private static CliException failure(int status, String body) {
        try {
            ServiceClient.check(new ServiceClient.Response(status, body, PROBLEM), "/history?limit=5");
        } catch (CliException e) {
            return e;
        }
        throw new AssertionError("HTTP " + status + " passed the check");
    }

    @Test
    void problemDetailsBecomeTheirDetailLine() {
        CliException e = failure(502, "{\"type\":\"urn:skychat:peer-unreachable\",\"title\":\"Bad Gateway\","
                + "\"status\":502,\"detail\":\"cannot reach 03ab over tcp-direct: timed out\"}");
        assertThat(e.exitCode()).isEqualTo(Cli.FAILED);
        assertThat(e.getMessage()).isEqualTo("cannot reach 03ab over tcp-direct: timed out");
    }

    @Test
    void authFailuresHaveTheirOwnCodeAndSayHowToFixThem() {
        CliException e = failure(401, "{\"type\":\"urn:skychat:unauthorized\",\"status\":401,\"detail\":\"bearer token required\"}");
        assertThat(e.exitCode()).isEqualTo(Cli.AUTH);
        assertThat(e.getMessage()).isEqualTo("authentication failed (HTTP 401): bearer token required"
                + " (set --token, SKYCHAT_TOKEN or --token-file)");
        assertThat(failure(403, "").exitCode()).isEqualTo(Cli.AUTH);
    }

    @Test
    void aMissingFeatureIsUnavailable() {
        CliException off = failure(503, "{\"type\":\"urn:skychat:persistence-off\",\"status\":503,"
                + "\"detail\":\"persistence is off (start with --persist)\"}");
        assertThat(off.exitCode()).isEqualTo(Cli.UNAVAILABLE);
        assertThat(off.getMessage()).isEqualTo("persistence is off (start with --persist)");
        CliException route = failure(404, "{\"type\":\"about:blank\",\"status\":404,\"detail\":\"No static resource history.\"}");
        assertThat(route.exitCode()).isEqualTo(Cli.UNAVAILABLE);
        assertThat(route.getMessage()).isEqualTo("this service does not offer /history (HTTP 404)");
    }

    @Test
    void aNodeAtItsStreamCapIsRetriedLikeAnUnreachableOne() {
        CliException busy = failure(503, "{\"type\":\"urn:skychat:too-many-streams\",\"status\":503,"
                + "\"detail\":\"this node already serves its maximum of 3 streams\"}");
        assertThat(busy.exitCode()).isEqualTo(Cli.UNREACHABLE);
        assertThat(busy.getMessage()).isEqualTo("this node already serves its maximum of 3 streams");
    }

    @Test
    void plainTextAndEmptyBodiesStillGiveOneLine() {
        assertThat(failure(500, "boom\nat line 2").getMessage()).isEqualTo("boom");
        assertThat(failure(500, "").getMessage()).isEqualTo("HTTP 500");
        assertThat(failure(400, "{\"title\":\"Bad Request\"}").getMessage()).isEqualTo("Bad Request");
    }

    @Test
    void addressesAsOperatorsWriteThem() {
        assertThat(ServiceClient.baseUri("127.0.0.1:8001")).hasToString("http://127.0.0.1:8001");
        assertThat(ServiceClient.baseUri(":8002")).hasToString("http://127.0.0.1:8002");
        assertThat(ServiceClient.baseUri("http://chat.lan:8001/")).hasToString("http://chat.lan:8001");
        assertThatThrownBy(() -> ServiceClient.baseUri(" "))
                .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(Cli.USAGE));
    }
}
