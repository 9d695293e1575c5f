package io.skychat.group;

import static io.skychat.group.GroupFixtures.ALICE;
import static io.skychat.group.GroupFixtures.BOB;
import static io.skychat.group.GroupFixtures.GROUP;
import static io.skychat.group.GroupFixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skychat.core.PeerKey;
import io.skychat.group.GroupException.Reason;
import io.skychat.support.Keys;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The join proof of work of notes §6.4 (upstream joincost.go). */
class JoinPowTests {

    static final PeerKey REQUESTER = BOB.publicKey();
    static final long TS = NOW.getEpochSecond();

    @Test
    void thePreimageIsDomainBarGroupIdTextBarRequesterThenBigEndianTimeAndNonce() {
        byte[] expected = new GroupFixtures.Bytes().ascii("skychat:group-join-pow:v1").ascii("|")
                .ascii("72afa409-8b2e-4323-aa1e-8be57f30ebd5").ascii("|").hex(Keys.BOB_PK)
                .hex("000000006b0eef00").hex("0000000000000007").get();
        assertThat(TS).isEqualTo(0x6b0eef00L);
        assertThat(JoinPow.preimage(GROUP, REQUESTER, TS, 7)).containsExactly(expected);
        assertThat(JoinPow.digest(GROUP, REQUESTER, TS, 7)).containsExactly(GroupFixtures.sha256(expected));
    }

    @Test
    void leadingZeroBitsCountsFromTheFirstByte() {
        assertThat(JoinPow.leadingZeroBits(new byte[] {0, 0, 0x01, (byte) 0xff})).isEqualTo(23);
        assertThat(JoinPow.leadingZeroBits(new byte[] {(byte) 0x80})).isZero();
        assertThat(JoinPow.leadingZeroBits(new byte[] {0, 0x7f})).isEqualTo(9);
        assertThat(JoinPow.leadingZeroBits(new byte[32])).isEqualTo(256);
    }

    @Test
    void solveFindsTheFirstNonceFromOneThatVerifies() {
        long nonce = JoinPow.solve(GROUP, REQUESTER, TS, 12);

        assertThat(nonce).isPositive();
        assertThat(JoinPow.leadingZeroBits(JoinPow.digest(GROUP, REQUESTER, TS, nonce))).isGreaterThanOrEqualTo(12);
        for (long n = 1; n < nonce; n++) {
            assertThat(JoinPow.leadingZeroBits(JoinPow.digest(GROUP, REQUESTER, TS, n))).as("nonce %d", n).isLessThan(12);
        }
        assertThat(JoinPow.verify(GROUP, REQUESTER, TS, nonce, 12, NOW)).isTrue();
    }

    @Test
    void theDefault18BitsSolveAndVerify() {
        long nonce = JoinPow.solve(GROUP, REQUESTER, TS, JoinPow.DEFAULT_BITS);
        assertThat(JoinPow.verify(GROUP, REQUESTER, TS, nonce, 18, NOW.plusSeconds(30))).isTrue();
    }

    @Test
    void tooFewBitsAreRefused() {
        long nonce = JoinPow.solve(GROUP, REQUESTER, TS, 10);
        int got = JoinPow.leadingZeroBits(JoinPow.digest(GROUP, REQUESTER, TS, nonce));

        assertThat(JoinPow.verify(GROUP, REQUESTER, TS, nonce, got + 1, NOW)).isFalse();
        assertThatThrownBy(() -> JoinPow.check(GROUP, REQUESTER, TS, nonce, got + 1, NOW))
                .isInstanceOfSatisfying(GroupException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INSUFFICIENT_POW))
                .hasMessageContaining("too weak");
    }

    @Test
    void aProofIsBoundToItsRequesterAndGroup() {
        long nonce = JoinPow.solve(GROUP, REQUESTER, TS, 14);
        PeerKey other = ALICE.publicKey();
        assertThat(JoinPow.leadingZeroBits(JoinPow.digest(GROUP, other, TS, nonce))).isLessThan(14);
        assertThat(JoinPow.verify(GROUP, other, TS, nonce, 14, NOW)).isFalse();
        GroupId otherGroup = GroupId.parse("0b5c3e10-2a86-4d2f-9a63-1e2d3c4b5a69");
        assertThat(JoinPow.verify(otherGroup, REQUESTER, TS, nonce, 14, NOW)).isFalse();
    }

    @Test
    void aStaleOrFutureTimestampIsRefusedEvenWithEnoughWork() {
        long nonce = JoinPow.solve(GROUP, REQUESTER, TS, 8);

        assertThat(JoinPow.verify(GROUP, REQUESTER, TS, nonce, 8, NOW.plus(Duration.ofMinutes(9)))).isTrue();
        assertThat(JoinPow.verify(GROUP, REQUESTER, TS, nonce, 8, NOW.minus(Duration.ofMinutes(9)))).isTrue();
        assertThat(JoinPow.verify(GROUP, REQUESTER, TS, nonce, 8, NOW.plus(Duration.ofMinutes(11)))).isFalse();
        assertThat(JoinPow.verify(GROUP, REQUESTER, TS, nonce, 8, NOW.minus(Duration.ofMinutes(11)))).isFalse();
        assertThatThrownBy(() -> JoinPow.check(GROUP, REQUESTER, TS, nonce, 8, NOW.plus(Duration.ofMinutes(11))))
                .isInstanceOfSatisfying(GroupException.class, e -> assertThat(e.reason()).isEqualTo(Reason.STALE))
                .hasMessageContaining("time window");
    }

    @Test
    void noWorkAskedMeansNoProofNeededAndAnAbsentProofFailsWhenWorkIsAsked() {
        assertThat(JoinPow.solve(GROUP, REQUESTER, TS, 0)).isZero();
        assertThat(JoinPow.verify(GROUP, REQUESTER, 0, 0, 0, NOW)).isTrue();
        assertThat(JoinPow.verify(GROUP, REQUESTER, 0, 0, 1, NOW)).isFalse();
        assertThatThrownBy(() -> JoinPow.check(GROUP, REQUESTER, 0, 0, 18, NOW)).hasMessageContaining("no proof of work");
    }

    @Test
    void difficultyIsClampedTo26() {
        assertThat(JoinPow.clamp(40)).isEqualTo(26);
        assertThat(JoinPow.clamp(-3)).isZero();
        assertThat(JoinPow.clamp(18)).isEqualTo(18);
    }
}
