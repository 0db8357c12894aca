package io.camelgraphteams.component.crypto;

import java.util.List;

import io.camelgraphteams.component.testsupport.TestEncryption;
import io.camelgraphteams.component.testsupport.TestKeys;
import io.camelgraphteams.component.testsupport.TestKeys.CertifiedKey;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The key is chosen by encryptionCertificateId, checked against the thumbprint, and several may coexist. */
class KeySelectionTest {

    private final CertifiedKey first = TestKeys.cached("selection-1");
    private final CertifiedKey second = TestKeys.cached("selection-2");

    @Test
    void keyIsPickedByEncryptionCertificateId() throws Exception {
        DecryptionKey current = first.decryptionKey("current");
        DecryptionKey previous = second.decryptionKey("previous");
        NotificationDecryptor decryptor = new NotificationDecryptor(DecryptionKeyRing.of(List.of(current, previous)));
        EncryptedContent forPrevious = TestEncryption.encrypt("{\"for\":\"previous\"}", previous);

        assertThat(decryptor.resolveKey(forPrevious)).isSameAs(previous);
        assertThat(decryptor.decrypt(forPrevious)).asString().isEqualTo("{\"for\":\"previous\"}");
    }

    @Test
    void rightIdWithWrongThumbprintIsUnknownCertificate() {
        DecryptionKey key = first.decryptionKey("cert");
        NotificationDecryptor decryptor = new NotificationDecryptor(DecryptionKeyRing.of(List.of(key)));
        String otherThumbprint = TestEncryption.thumbprint(second.certificate());
        EncryptedContent content = Tampering.withCertificate(TestEncryption.encrypt("{}", key), "cert",
                otherThumbprint);

        assertThatThrownBy(() -> decryptor.decrypt(content))
                .isInstanceOfSatisfying(UnknownCertificateException.class, e -> {
                    assertThat(e.getCertificateId()).isEqualTo("cert");
                    assertThat(e.getThumbprint()).isEqualTo(otherThumbprint);
                })
                .hasMessageContaining("'cert'")
                .hasMessageContaining(otherThumbprint);
    }

    @Test
    void unknownIdIsUnknownCertificate() {
        DecryptionKey key = first.decryptionKey("known");
        NotificationDecryptor decryptor = new NotificationDecryptor(DecryptionKeyRing.of(List.of(key)));
        EncryptedContent content = Tampering.withCertificate(TestEncryption.encrypt("{}", key), "unknown",
                key.getThumbprint());

        assertThatThrownBy(() -> decryptor.resolveKey(content))
                .isInstanceOfSatisfying(UnknownCertificateException.class,
                        e -> assertThat(e.getCertificateId()).isEqualTo("unknown"))
                .hasMessageContaining("'unknown'")
                .hasMessageContaining("[known]");
    }

    @Test
    void unknownIdFromTheRequestCannotForgeLogLines() {
        DecryptionKey key = first.decryptionKey("known");
        NotificationDecryptor decryptor = new NotificationDecryptor(DecryptionKeyRing.of(List.of(key)));
        String forged = "x\n2026-01-01 INFO forged line" + "y".repeat(500);
        EncryptedContent content = Tampering.withCertificate(TestEncryption.encrypt("{}", key), forged, null);

        assertThatThrownBy(() -> decryptor.resolveKey(content))
                .isInstanceOfSatisfying(UnknownCertificateException.class,
                        e -> assertThat(e.getCertificateId()).isEqualTo(forged))
                .hasMessageNotContaining("\n")
                .hasMessageContaining("'x?2026-01-01 INFO forged line")
                .hasMessageNotContaining("y".repeat(200));
    }

    @Test
    void missingIdIsUnknownCertificate() {
        DecryptionKey key = first.decryptionKey("known");
        NotificationDecryptor decryptor = new NotificationDecryptor(DecryptionKeyRing.of(List.of(key)));
        EncryptedContent content = Tampering.withCertificate(TestEncryption.encrypt("{}", key), null,
                key.getThumbprint());

        assertThatThrownBy(() -> decryptor.decrypt(content))
                .isInstanceOf(UnknownCertificateException.class)
                .hasMessageContaining("no encryptionCertificateId");
    }

    @Test
    void emptyRingKnowsNoCertificate() {
        EncryptedContent content = TestEncryption.encrypt("{}", first.decryptionKey("any"));

        assertThatThrownBy(() -> new NotificationDecryptor(DecryptionKeyRing.empty()).decrypt(content))
                .isInstanceOf(UnknownCertificateException.class);
    }

    @Test
    void missingThumbprintMatchesByIdAlone() throws Exception {
        DecryptionKey key = first.decryptionKey("cert");
        NotificationDecryptor decryptor = new NotificationDecryptor(DecryptionKeyRing.of(List.of(key)));
        EncryptedContent content = Tampering.withCertificate(TestEncryption.encrypt("{\"no\":\"thumbprint\"}", key),
                "cert", null);

        assertThat(decryptor.decrypt(content)).asString().isEqualTo("{\"no\":\"thumbprint\"}");
    }

    @Test
    void thumbprintMatchesIgnoringCaseColonsAndSpaces() throws Exception {
        DecryptionKey key = first.decryptionKey("cert");
        NotificationDecryptor decryptor = new NotificationDecryptor(DecryptionKeyRing.of(List.of(key)));
        String written = colonSeparated(key.getThumbprint().toLowerCase());
        EncryptedContent content = Tampering.withCertificate(TestEncryption.encrypt("{}", key), "cert", written);

        assertThat(decryptor.resolveKey(content)).isSameAs(key);
    }

    @Test
    void rotationKeepsOldAndNewKeysDecryptingTheirOwnItems() throws Exception {
        DecryptionKey renewed = second.decryptionKey("cert-2025");
        DecryptionKey expiring = first.decryptionKey("cert-2024");
        NotificationDecryptor decryptor = new NotificationDecryptor(DecryptionKeyRing.of(List.of(renewed, expiring)));

        EncryptedContent fromRenewedSubscription = TestEncryption.encrypt("{\"sub\":\"renewed\"}", renewed);
        EncryptedContent fromOldSubscription = TestEncryption.encrypt("{\"sub\":\"old\"}", expiring);

        assertThat(decryptor.decrypt(fromRenewedSubscription)).asString().isEqualTo("{\"sub\":\"renewed\"}");
        assertThat(decryptor.decrypt(fromOldSubscription)).asString().isEqualTo("{\"sub\":\"old\"}");
    }

    @Test
    void keysSharingAnIdWithDifferentThumbprintsEachResolve() throws Exception {
        DecryptionKey newer = second.decryptionKey("shared-id");
        DecryptionKey older = first.decryptionKey("shared-id");
        NotificationDecryptor decryptor = new NotificationDecryptor(DecryptionKeyRing.of(List.of(newer, older)));

        EncryptedContent forNewer = TestEncryption.encrypt("{\"key\":\"newer\"}", newer);
        EncryptedContent forOlder = TestEncryption.encrypt("{\"key\":\"older\"}", older);

        assertThat(decryptor.resolveKey(forNewer)).isSameAs(newer);
        assertThat(decryptor.resolveKey(forOlder)).isSameAs(older);
        assertThat(decryptor.decrypt(forNewer)).asString().isEqualTo("{\"key\":\"newer\"}");
        assertThat(decryptor.decrypt(forOlder)).asString().isEqualTo("{\"key\":\"older\"}");
    }

    private static String colonSeparated(String hex) {
        StringBuilder written = new StringBuilder();
        for (int i = 0; i < hex.length(); i += 2) {
            written.append(i == 0 ? "" : i % 8 == 0 ? " : " : ":").append(hex, i, i + 2);
        }
        return written.toString();
    }
}
