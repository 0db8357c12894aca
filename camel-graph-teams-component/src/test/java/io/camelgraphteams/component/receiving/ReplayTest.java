package io.camelgraphteams.component.receiving;

import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelgraphteams.component.GraphTeamsConsumer;
import io.camelgraphteams.component.GraphTeamsEndpoint;
import io.camelgraphteams.component.testsupport.ReceivingContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.junit.jupiter.api.Test;

import static io.camelgraphteams.component.testsupport.ReceivingContext.keyStore;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11, replays die: whoever captured a genuine batch can post it again within its validation token's life, with
 * its unsigned envelope edited. The content (encrypted, HMAC-checked) decides: a message version reaches the route
 * once whatever envelope carries it, however small the idempotent repository, and keys stored by the previous version
 * of the component still count.
 */
class ReplayTest extends ReceivingTestSupport {

    private GraphTeamsConsumer consumer() {
        return (GraphTeamsConsumer) receiving.context().getRoute("graph-teams-test").getConsumer();
    }

    private int post(ObjectNode item) throws Exception {
        return receiving.postBatch(batch(List.of(item), validToken())).statusCode();
    }

    @Test
    void aReplayWithItsChangeTypeEditedIsADuplicate() throws Exception {
        startChats(null);
        ObjectNode genuine = encryptedItem("2001");
        assertThat(post(genuine)).isEqualTo(202);

        ObjectNode edited = genuine.deepCopy().put("changeType", "updated");
        assertThat(post(edited)).isEqualTo(202);

        assertThat(receiving.received()).as("the message version reached the route once").hasSize(1);
        assertThat(consumer().getDuplicatesSkipped()).isEqualTo(1);
    }

    @Test
    void aReplayWithItsMessageIdEditedIsDropped() throws Exception {
        startChats(null);
        ObjectNode genuine = encryptedItem("2002");
        assertThat(post(genuine)).isEqualTo(202);

        ObjectNode edited = genuine.deepCopy().put("resource", "chats('" + CHAT_ID + "')/messages('2999')");
        assertThat(post(edited)).isEqualTo(202);

        assertThat(receiving.received()).hasSize(1);
        assertThat(consumer().getCounters().asMap()).containsEntry("droppedEnvelopeMismatch", 1L);
    }

    @Test
    void aReplayIsADuplicateAfterTheRepositoryForgotItsKey() throws Exception {
        // a repository that keeps one key: by the time the replay comes, the genuine key was evicted long ago
        receiving = ReceivingContext.start(ReceivingContext.freePort(),
                context -> context.getRegistry().bind("oneKey", MemoryIdempotentRepository.memoryIdempotentRepository(1)),
                new RouteBuilder() {
                    @Override
                    public void configure() {
                        from(ReceivingContext.chatsUri(keyStore(dir), identityPlatform.openIdConfigurationUrl(),
                                "idempotentRepository=#oneKey")).routeId("graph-teams-test").to("direct:received");
                    }
                });
        ObjectNode captured = encryptedItem("2003");
        assertThat(post(captured)).isEqualTo(202);
        assertThat(post(encryptedItem("2004"))).isEqualTo(202);
        assertThat(post(encryptedItem("2005"))).isEqualTo(202);

        assertThat(post(captured)).isEqualTo(202);

        assertThat(receiving.received()).as("three messages, the replay not among them").hasSize(3);
    }

    @Test
    void keysStoredByThePreviousVersionStillCount() throws Exception {
        MemoryIdempotentRepository repository = (MemoryIdempotentRepository) MemoryIdempotentRepository
                .memoryIdempotentRepository(100);
        receiving = ReceivingContext.start(ReceivingContext.freePort(),
                context -> context.getRegistry().bind("upgraded", repository),
                new RouteBuilder() {
                    @Override
                    public void configure() {
                        from(ReceivingContext.chatsUri(keyStore(dir), identityPlatform.openIdConfigurationUrl(),
                                "idempotentRepository=#upgraded")).routeId("graph-teams-test").to("direct:received");
                    }
                });
        // what version 0.1 stored after delivering message 2006: <ns>|<chat>|<id>|<changeType>|<etag>
        String namespace = ((GraphTeamsEndpoint) consumer().getEndpoint()).stateNamespace();
        String storedBefore = namespace + "|" + CHAT_ID.toLowerCase(Locale.ROOT) + "|2006|created|2006";
        repository.add(storedBefore);

        assertThat(post(encryptedItem("2006"))).isEqualTo(202);
        // and a replay with its changeType edited finds the key of the previous version too
        assertThat(post(encryptedItem("2006").put("changeType", "updated"))).isEqualTo(202);

        assertThat(receiving.received()).as("delivered before the upgrade: not again").isEmpty();
        assertThat(consumer().getDuplicatesSkipped()).isEqualTo(2);
    }
}
