package io.camelgraphteams.component.crypto;

import java.util.List;
import java.util.NoSuchElementException;

import io.camelgraphteams.component.testsupport.TestKeys;
import io.camelgraphteams.component.testsupport.TestKeys.CertifiedKey;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The ring keeps configuration order, the first key is current, and a key is listed once. */
class DecryptionKeyRingTest {

    private final CertifiedKey first = TestKeys.cached("ring-1");
    private final CertifiedKey second = TestKeys.cached("ring-2");

    @Test
    void firstKeyIsCurrentAndOrderIsKept() {
        DecryptionKey current = second.decryptionKey("b");
        DecryptionKey previous = first.decryptionKey("a");

        DecryptionKeyRing ring = DecryptionKeyRing.of(List.of(current, previous));

        assertThat(ring.current()).isSameAs(current);
        assertThat(ring.keys()).containsExactly(current, previous);
        assertThat(ring.isEmpty()).isFalse();
    }

    @Test
    void sameIdAndThumbprintTwiceIsRejected() {
        DecryptionKey key = first.decryptionKey("dup");
        DecryptionKey again = first.decryptionKey("dup");

        assertThatThrownBy(() -> DecryptionKeyRing.of(List.of(key, again)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'dup'")
                .hasMessageContaining(key.getThumbprint());
    }

    @Test
    void sameCertificateUnderTwoIdsIsAllowed() {
        DecryptionKey oldName = first.decryptionKey("old-name");
        DecryptionKey newName = first.decryptionKey("new-name");

        DecryptionKeyRing ring = DecryptionKeyRing.of(List.of(newName, oldName));

        assertThat(ring.find("old-name", oldName.getThumbprint())).containsSame(oldName);
        assertThat(ring.find("new-name", newName.getThumbprint())).containsSame(newName);
    }

    @Test
    void withoutThumbprintTheFirstKeyOfTheIdIsFound() {
        DecryptionKey newer = second.decryptionKey("same");
        DecryptionKey older = first.decryptionKey("same");

        DecryptionKeyRing ring = DecryptionKeyRing.of(List.of(newer, older));

        assertThat(ring.find("same", null)).containsSame(newer);
        assertThat(ring.find("same", " ")).containsSame(newer);
        assertThat(ring.find("same", older.getThumbprint())).containsSame(older);
    }

    @Test
    void thumbprintOfAnotherLengthDoesNotMatch() {
        DecryptionKey key = first.decryptionKey("cert");
        DecryptionKeyRing ring = DecryptionKeyRing.of(List.of(key));

        assertThat(ring.find("cert", key.getThumbprint() + "00")).isEmpty();
        assertThat(ring.find("cert", key.getThumbprint().substring(2))).isEmpty();
    }

    @Test
    void idIsMatchedExactly() {
        DecryptionKey key = first.decryptionKey("Cert");
        DecryptionKeyRing ring = DecryptionKeyRing.of(List.of(key));

        assertThat(ring.find("cert", null)).isEmpty();
        assertThat(ring.find(null, key.getThumbprint())).isEmpty();
    }

    @Test
    void emptyRingHasNoCurrentKey() {
        DecryptionKeyRing ring = DecryptionKeyRing.empty();

        assertThat(ring.isEmpty()).isTrue();
        assertThat(ring.keys()).isEmpty();
        assertThat(DecryptionKeyRing.of(List.of()).isEmpty()).isTrue();
        assertThatThrownBy(ring::current).isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("keyStore");
    }
}
