package io.camelgraphteams.component.notification;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NotificationBatchParserTest {

    private final NotificationBatchParser parser = new NotificationBatchParser(16 * 1024 * 1024);

    private NotificationBatch parse(String json) throws MalformedBatchException {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void parsesMicrosoftsRealUnencryptedNotification() throws Exception {
        byte[] body = Files.readAllBytes(Path.of("src/test/resources/vectors/graph-preview-2019-partial/UnencryptedRichNotification.json"));
        NotificationBatch batch = parser.parse(body);
        assertThat(batch.items()).hasSize(1);
        ChangeNotification item = batch.items().get(0);
        assertThat(item.changeType()).isEqualTo("created");
        assertThat(item.subscriptionId()).isNotBlank();
        assertThat(item.tenantId()).isNotBlank();
        assertThat(item.resourceData()).isNotNull();
        assertThat(batch.validationTokens()).hasSize(1);
    }

    @Test
    void parsesAnEncryptedItem() throws Exception {
        NotificationBatch batch = parse("""
                {"value":[{"subscriptionId":"s1","changeType":"created","clientState":"cs","tenantId":"t1",
                  "resource":"chats('c1')/messages('m1')","subscriptionExpirationDateTime":"2026-11-28T00:00:00Z",
                  "resourceData":{"id":"m1","@odata.type":"#Microsoft.Graph.chatMessage","@odata.id":"chats('c1')/messages('m1')"},
                  "encryptedContent":{"data":"ZA==","dataKey":"a2V5","dataSignature":"c2ln","encryptionCertificateId":"id1",
                    "encryptionCertificateThumbprint":"AB"}}],
                 "validationTokens":["a.b.c"]}""");
        ChangeNotification item = batch.items().get(0);
        assertThat(item.encryptedContent().encryptionCertificateId()).isEqualTo("id1");
        assertThat(item.encryptedContent().encryptionCertificateThumbprint()).isEqualTo("AB");
        assertThat(item.clientState()).isEqualTo("cs");
        assertThat(batch.hasEncryptedContent()).isTrue();
    }

    @Test
    void parsesALifecycleItem() throws Exception {
        NotificationBatch batch = parse("""
                {"value":[{"subscriptionId":"s1","lifecycleEvent":"reauthorizationRequired","clientState":"cs","tenantId":"t1",
                  "subscriptionExpirationDateTime":"2026-11-28T00:00:00Z"}]}""");
        assertThat(batch.items().get(0).isLifecycleEvent()).isTrue();
        assertThat(batch.validationTokens()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "not json",
            "{\"value\":[",
            "[]",
            "{}",
            "{\"value\":{}}",
            "{\"value\":[1]}",
            "{\"value\":[{\"changeType\":\"created\",\"resource\":\"r\"}]}",
            "{\"value\":[{\"subscriptionId\":\"s\",\"resource\":\"r\"}]}",
            "{\"value\":[{\"subscriptionId\":\"s\",\"changeType\":\"created\",\"lifecycleEvent\":\"missed\",\"resource\":\"r\"}]}",
            "{\"value\":[{\"subscriptionId\":5,\"changeType\":\"created\",\"resource\":\"r\"}]}",
            "{\"value\":[{\"subscriptionId\":\"s\",\"changeType\":\"created\"}]}",
            "{\"value\":[{\"subscriptionId\":\"s\",\"changeType\":\"created\",\"resource\":\"r\",\"resourceData\":\"x\"}]}",
            "{\"value\":[{\"subscriptionId\":\"s\",\"changeType\":\"created\",\"resource\":\"r\",\"encryptedContent\":{\"data\":\"a\"}}]}",
            "{\"value\":[{\"subscriptionId\":\"s\",\"changeType\":\"created\",\"resource\":\"r\",\"encryptedContent\":{\"data\":1,\"dataKey\":\"k\",\"dataSignature\":\"s\",\"encryptionCertificateId\":\"i\"}}]}",
            "{\"value\":[],\"validationTokens\":\"abc\"}",
            "{\"value\":[],\"validationTokens\":[1]}",
            "{\"value\":[],\"value\":[]}",
            "{\"value\":[]} {}",
            "{\"value\":[],\"n\":1e999999999999999999999999999999999999999999999999999999999999999999999999999999}"
    })
    void malformedBatchesAreRefused(String body) {
        assertThatThrownBy(() -> parse(body)).isInstanceOf(MalformedBatchException.class);
    }

    @Test
    void deepNestingIsRefused() {
        String deep = "{\"value\":[],\"x\":" + "[".repeat(500) + "]".repeat(500) + "}";
        assertThatThrownBy(() -> parse(deep)).isInstanceOf(MalformedBatchException.class);
    }
}
