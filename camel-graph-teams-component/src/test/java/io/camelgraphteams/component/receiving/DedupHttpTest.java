package io.camelgraphteams.component.receiving;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelgraphteams.component.GraphTeamsConstants;
import io.camelgraphteams.component.GraphTeamsConsumer;
import io.camelgraphteams.component.crypto.EncryptedContent;
import io.camelgraphteams.component.testsupport.GraphNotifications;
import io.camelgraphteams.component.testsupport.ReceivingContext;
import io.camelgraphteams.component.testsupport.TestEncryption;
import io.camelgraphteams.component.testsupport.TestKeys;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.processor.idempotent.FileIdempotentRepository;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.junit.jupiter.api.Test;

import static io.camelgraphteams.component.testsupport.ReceivingContext.CERTIFICATE_ID;
import static io.camelgraphteams.component.testsupport.ReceivingContext.CLIENT_STATE;
import static io.camelgraphteams.component.testsupport.ReceivingContext.TENANT_ID;
import static io.camelgraphteams.component.testsupport.ReceivingContext.keyStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 6, nothing doubled: each change reaches the route once however often Graph posts it. The key is looked up
 * before an exchange is made and recorded only after the exchange completed, so a failed exchange is tried again when
 * Graph redelivers; a copy arriving while the first is in the route waits for the first's outcome.
 */
class DedupHttpTest extends ReceivingTestSupport {

    private String uri(String extra) {
        return ReceivingContext.chatsUri(keyStore(dir), identityPlatform.openIdConfigurationUrl(), extra);
    }

    private GraphTeamsConsumer consumer(String routeId) {
        return (GraphTeamsConsumer) receiving.context().getRoute(routeId).getConsumer();
    }

    private List<String> receivedIds() {
        return receiving.received().stream()
                .map(e -> e.getMessage().getHeader(GraphTeamsConstants.MESSAGE_ID, String.class)).toList();
    }

    private CompletableFuture<Integer> postAsync(String messageId) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return receiving.postBatch(batch(List.of(encryptedItem(messageId)), validToken())).statusCode();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** An updated state of a chat message: another etag and lastModifiedDateTime, changeType updated. */
    private static ObjectNode updatedItem(String messageId, String etag, String text) throws Exception {
        ObjectNode message = (ObjectNode) GraphNotifications.JSON.readTree(
                GraphNotifications.chatMessage(CHAT_ID, messageId, text));
        message.put("etag", etag);
        message.put("lastModifiedDateTime", "2026-11-27T10:05:00Z");
        EncryptedContent content = TestEncryption.encrypt(message.toString().getBytes(StandardCharsets.UTF_8),
                TestKeys.cached(CERTIFICATE_ID).certificate(), CERTIFICATE_ID);
        ObjectNode item = GraphNotifications.chatItem(SUBSCRIPTION_ID, TENANT_ID, CLIENT_STATE, CHAT_ID, messageId);
        item.put("changeType", "updated");
        return GraphNotifications.withEncryptedContent(item, content);
    }

    @Test
    void theSameNotificationTwiceMakesOneExchange() throws Exception {
        startChats("");
        assertThat(receiving.postBatch(batch(List.of(encryptedItem("1001")), validToken())).statusCode()).isEqualTo(202);
        // Graph's copy is encrypted afresh (another key): only the decrypted change tells it apart
        assertThat(receiving.postBatch(batch(List.of(encryptedItem("1001")), validToken())).statusCode())
                .as("a duplicate counts as delivered").isEqualTo(202);
        assertThat(receivedIds()).containsExactly("1001");
        assertThat(consumer("graph-teams-test").getDuplicatesSkipped()).isEqualTo(1);
        assertThat(receiving.received().get(0).getMessage().getHeader(GraphTeamsConstants.SOURCE))
                .isEqualTo(GraphTeamsConstants.SOURCE_NOTIFICATION);
    }

    @Test
    void twoCopiesInOneBatchMakeOneExchange() throws Exception {
        startChats("workerPoolSize=4");
        assertThat(receiving.postBatch(batch(List.of(encryptedItem("1002"), encryptedItem("1002"), encryptedItem("1003")),
                validToken())).statusCode()).isEqualTo(202);
        assertThat(receivedIds()).containsExactlyInAnyOrder("1002", "1003");
    }

    @Test
    void aFailedExchangeIsNotRecordedSoGraphsRedeliveryIsRouted() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        receiving = ReceivingContext.start(new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(noErrorHandler());
                from(uri("")).routeId("graph-teams-test").process(e -> {
                    if (attempts.incrementAndGet() == 1) {
                        throw new IllegalStateException("the sink is down");
                    }
                }).to("direct:received");
            }
        });
        assertThat(receiving.postBatch(batch(List.of(encryptedItem("1004")), validToken())).statusCode()).isEqualTo(503);
        assertThat(receiving.postBatch(batch(List.of(encryptedItem("1004")), validToken())).statusCode()).isEqualTo(202);
        assertThat(receiving.postBatch(batch(List.of(encryptedItem("1004")), validToken())).statusCode()).isEqualTo(202);
        assertThat(attempts.get()).as("failed, routed, then recognised").isEqualTo(2);
        assertThat(receivedIds()).containsExactly("1004");
        assertThat(consumer("graph-teams-test").getDuplicatesSkipped()).isEqualTo(1);
    }

    @Test
    void aCopyArrivingWhileTheFirstIsInTheRouteWaitsForItsOutcome() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger attempts = new AtomicInteger();
        receiving = ReceivingContext.start(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri("")).routeId("graph-teams-test").process(e -> {
                    attempts.incrementAndGet();
                    release.await(20, TimeUnit.SECONDS);
                }).to("direct:received");
            }
        });
        CompletableFuture<Integer> first = postAsync("1005");
        await().atMost(10, TimeUnit.SECONDS).until(() -> attempts.get() == 1);
        CompletableFuture<Integer> second = postAsync("1005");
        await().atMost(10, TimeUnit.SECONDS).until(() -> consumer("graph-teams-test").getDuplicatesWaiting() == 1);
        // the copy neither makes a second exchange nor is answered before the first's outcome is known
        await().during(java.time.Duration.ofMillis(500)).atMost(2, TimeUnit.SECONDS)
                .until(() -> !second.isDone() && attempts.get() == 1);
        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(202);
        assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(202);
        assertThat(attempts.get()).isEqualTo(1);
        assertThat(receivedIds()).containsExactly("1005");
    }

    @Test
    void aWaitingCopySharesTheFirstsFailureAndGraphsRedeliveryIsRoutedOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger attempts = new AtomicInteger();
        receiving = ReceivingContext.start(new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(noErrorHandler());
                from(uri("")).routeId("graph-teams-test").process(e -> {
                    if (attempts.incrementAndGet() == 1) {
                        release.await(20, TimeUnit.SECONDS);
                        throw new IllegalStateException("the sink is down");
                    }
                }).to("direct:received");
            }
        });
        CompletableFuture<Integer> first = postAsync("1006");
        await().atMost(10, TimeUnit.SECONDS).until(() -> attempts.get() == 1);
        CompletableFuture<Integer> second = postAsync("1006");
        // the copy must be waiting at the dedup gate (not merely parsed) before the first one fails
        await().atMost(10, TimeUnit.SECONDS).until(() -> consumer("graph-teams-test").getDuplicatesWaiting() == 1);
        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(503);
        assertThat(second.get(10, TimeUnit.SECONDS)).as("the copy is not acknowledged for a failed delivery")
                .isEqualTo(503);
        assertThat(receivedIds()).isEmpty();
        assertThat(receiving.postBatch(batch(List.of(encryptedItem("1006")), validToken())).statusCode()).isEqualTo(202);
        assertThat(attempts.get()).isEqualTo(2);
        assertThat(receivedIds()).containsExactly("1006");
    }

    @Test
    void anUpdateIsNotADuplicateOfTheCreationButItsCopyIs() throws Exception {
        startChats("");
        receiving.postBatch(batch(List.of(encryptedItem("1007")), validToken()));
        receiving.postBatch(batch(List.of(updatedItem("1007", "1764237900000", "edited")), validToken()));
        receiving.postBatch(batch(List.of(updatedItem("1007", "1764237900000", "edited")), validToken()));
        receiving.postBatch(batch(List.of(updatedItem("1007", "1764237960000", "edited again")), validToken()));
        assertThat(receiving.received()).extracting(e -> e.getMessage().getHeader(GraphTeamsConstants.CHANGE_TYPE))
                .containsExactly("created", "updated", "updated");
        assertThat(consumer("graph-teams-test").getDuplicatesSkipped()).isEqualTo(1);
    }

    @Test
    void endpointsSharingOneRepositoryEachGetTheMessageOnce() throws Exception {
        IdempotentRepository shared = MemoryIdempotentRepository.memoryIdempotentRepository(100);
        receiving = ReceivingContext.start(ReceivingContext.freePort(), context -> context.getRegistry().bind("dedup",
                shared), new RouteBuilder() {
                    @Override
                    public void configure() {
                        from(uri("idempotentRepository=#dedup")).routeId("all-chats").to("direct:received");
                        from(uri("idempotentRepository=#dedup&notificationPath=/graph/one&lifecycleNotificationPath="
                                 + "/graph/one-lifecycle").replace("chats/getAllMessages", "chats/" + CHAT_ID + "/messages"))
                                .routeId("one-chat").to("direct:received");
                    }
                });
        for (int i = 0; i < 2; i++) {
            assertThat(receiving.postBatch(batch(List.of(encryptedItem("1008")), validToken())).statusCode())
                    .isEqualTo(202);
            assertThat(receiving.post("/graph/one", "application/json", batch(List.of(encryptedItem("1008")),
                    validToken())).statusCode()).isEqualTo(202);
        }
        assertThat(receiving.received()).extracting(e -> e.getFromRouteId()).containsExactlyInAnyOrder("all-chats",
                "one-chat");
        assertThat(consumer("all-chats").getDuplicatesSkipped()).isEqualTo(1);
        assertThat(consumer("one-chat").getDuplicatesSkipped()).isEqualTo(1);
    }

    @Test
    void aFileRepositoryRemembersAcrossARestart() throws Exception {
        Path file = dir.resolve("dedup-restart.txt");
        for (int start = 0; start < 2; start++) {
            FileIdempotentRepository repository = (FileIdempotentRepository) FileIdempotentRepository
                    .fileIdempotentRepository(file.toFile());
            receiving = ReceivingContext.start(ReceivingContext.freePort(),
                    context -> context.getRegistry().bind("dedup", repository),
                    new RouteBuilder() {
                        @Override
                        public void configure() {
                            from(uri("idempotentRepository=#dedup")).routeId("graph-teams-test").to("direct:received");
                        }
                    });
            assertThat(receiving.postBatch(batch(List.of(encryptedItem("1009")), validToken())).statusCode())
                    .isEqualTo(202);
            assertThat(receivedIds()).as("start " + start).hasSize(start == 0 ? 1 : 0);
            receiving.close();
            receiving = null;
        }
        assertThat(java.nio.file.Files.readString(file)).contains("|1009|1009");
    }

    @Test
    void withoutResourceDataOrCredentialsTheReferenceIsForwardedWithoutDedup() throws Exception {
        // a receive-only endpoint without Graph credentials cannot GET the message: the body stays Graph's reference,
        // which has no version, so copies cannot be told from new changes
        receiving = ReceivingContext.start("graph-teams:chats/getAllMessages?manageSubscription=false"
                                           + "&includeResourceData=false&clientState=RAW(" + CLIENT_STATE + ")");
        ObjectNode item = GraphNotifications.chatItem(SUBSCRIPTION_ID, TENANT_ID, CLIENT_STATE, CHAT_ID, "1010");
        assertThat(receiving.postBatch(batch(List.of(item))).statusCode()).isEqualTo(202);
        assertThat(receiving.postBatch(batch(List.of(item))).statusCode()).isEqualTo(202);
        assertThat(receiving.received()).hasSize(2).allSatisfy(e -> {
            assertThat(e.getMessage().getHeader(GraphTeamsConstants.RESOURCE_DATA_INCLUDED)).isEqualTo(false);
            assertThat(e.getMessage().getBody(String.class)).contains("\"@odata.type\":\"#Microsoft.Graph.chatMessage\"")
                    .doesNotContain("etag");
        });
        GraphTeamsConsumer consumer = consumer("graph-teams-test");
        assertThat(consumer.getBackfillStatus()).isNull();
        assertThat(consumer.getBackfillOff()).contains("no Graph credentials");
    }
}
