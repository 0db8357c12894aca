package io.camelgraphteams.emulator.delivery;

import static io.camelgraphteams.emulator.support.EmulatorFixture.CHANNEL;
import static io.camelgraphteams.emulator.support.EmulatorFixture.CHANNEL_2;
import static io.camelgraphteams.emulator.support.EmulatorFixture.CHAT;
import static io.camelgraphteams.emulator.support.EmulatorFixture.TEAM;
import static io.camelgraphteams.emulator.support.EmulatorFixture.USER_A;
import static io.camelgraphteams.emulator.support.EmulatorFixture.USER_B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.camelgraphteams.emulator.support.EmulatorFixture;
import io.camelgraphteams.emulator.support.NotificationReceiver.Received;
import io.camelgraphteams.emulator.teams.ChatMessage;
import io.camelgraphteams.emulator.teams.NewMessage;
import io.camelgraphteams.emulator.teams.TeamsStore;

/** Which subscriptions a change reaches, and the shape of what Graph posts (without resource data). */
class NotificationDeliveryTest {

    private static EmulatorFixture f;
    private static TeamsStore teams;

    @BeforeAll
    static void start() throws Exception {
        f = new EmulatorFixture(EmulatorFixture.fastTimings().withBatchWindow(Duration.ofMillis(150)));
        teams = f.emulator.teams();
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @AfterEach
    void clean() {
        f.deleteAllSubscriptions();
        f.emulator.chaos().reset();
    }

    private String subscribe(String resource, String changeType, String path) {
        ObjectNode body = f.subscription(resource, changeType);
        body.put("notificationUrl", f.receiver.url(path));
        return f.create(body);
    }

    private List<JsonNode> items(String path, int atLeast) {
        await().atMost(5, TimeUnit.SECONDS).until(() -> itemsNow(path).size() >= atLeast);
        return itemsNow(path);
    }

    private List<JsonNode> itemsNow(String path) {
        List<JsonNode> items = new java.util.ArrayList<>();
        for (Received r : f.receiver.notifications(path)) {
            r.json().get("value").forEach(items::add);
        }
        return items;
    }

    @Test
    void channelMessageNotificationHasGraphsShape() {
        String id = subscribe("/teams/" + TEAM + "/channels/" + CHANNEL + "/messages", "created", "/shape");
        ChatMessage m = teams.postChannelMessage(TEAM, CHANNEL, NewMessage.text(USER_A, "hello"));

        JsonNode item = items("/shape", 1).get(0);
        String resource = "teams('" + TEAM + "')/channels('" + CHANNEL + "')/messages('" + m.id() + "')";
        assertThat(item.get("subscriptionId").asText()).isEqualTo(id);
        assertThat(item.get("changeType").asText()).isEqualTo("created");
        assertThat(item.get("clientState").asText()).isEqualTo("secretClientState");
        assertThat(item.get("tenantId").asText()).isEqualTo(f.emulator.tenantId());
        assertThat(item.get("resource").asText()).isEqualTo(resource);
        assertThat(OffsetDateTime.parse(item.get("subscriptionExpirationDateTime").asText()).toInstant())
                .isEqualTo(f.emulator.subscriptions().find(id).orElseThrow().expirationDateTime());
        assertThat(item.get("resourceData").get("id").asText()).isEqualTo(m.id());
        assertThat(item.get("resourceData").get("@odata.type").asText()).isEqualTo("#Microsoft.Graph.chatMessage");
        assertThat(item.get("resourceData").get("@odata.id").asText()).isEqualTo(resource);
        assertThat(item.has("encryptedContent")).isFalse();
        Received post = f.receiver.notifications("/shape").get(0);
        assertThat(post.json().has("validationTokens")).isFalse();
        assertThat(post.contentType()).startsWith("application/json");
        assertThat(f.emulator.deliveryLog().records(DeliveryRecord.Kind.NOTIFICATION)).anySatisfy(r -> {
            assertThat(r.url()).isEqualTo(f.receiver.url("/shape"));
            assertThat(r.status()).isEqualTo(202);
            assertThat(r.outcome()).isEqualTo(DeliveryRecord.Outcome.DELIVERED);
            assertThat(r.subscriptionIds()).containsExactly(id);
        });
    }

    @Test
    void replyAndChatResourceStrings() {
        subscribe("/teams/getAllMessages", "created", "/tenant-channels");
        subscribe("/chats/getAllMessages", "created", "/tenant-chats");
        ChatMessage root = teams.postChannelMessage(TEAM, CHANNEL_2, NewMessage.text(USER_A, "root"));
        ChatMessage reply = teams.postReply(TEAM, CHANNEL_2, root.id(), NewMessage.text(USER_B, "reply"));
        ChatMessage chat = teams.postChatMessage(CHAT, NewMessage.text(USER_A, "in chat"));

        List<JsonNode> channelItems = items("/tenant-channels", 2);
        assertThat(channelItems).extracting(i -> i.get("resource").asText()).containsExactly(
                "teams('" + TEAM + "')/channels('" + CHANNEL_2 + "')/messages('" + root.id() + "')",
                "teams('" + TEAM + "')/channels('" + CHANNEL_2 + "')/messages('" + root.id() + "')/replies('" + reply.id()
                        + "')");
        assertThat(items("/tenant-chats", 1)).extracting(i -> i.get("resource").asText())
                .containsExactly("chats('" + CHAT + "')/messages('" + chat.id() + "')");
    }

    @Test
    void onlyTheSubscribedChangeTypesArrive() {
        subscribe("/chats/" + CHAT + "/messages", "updated,deleted", "/changes");
        ChatMessage m = teams.postChatMessage(CHAT, NewMessage.text(USER_A, "v1"));
        teams.editMessage(m.id(), "v2");
        teams.deleteMessage(m.id());

        assertThat(items("/changes", 2)).extracting(i -> i.get("changeType").asText()).containsExactly("updated", "deleted");
    }

    @Test
    void searchMatchesBodyTextOnly() {
        subscribe("/chats/" + CHAT + "/messages?$search=launch", "created", "/search");
        teams.postChatMessage(CHAT, NewMessage.text(USER_A, "nothing to see"));
        ChatMessage hit = teams.postChatMessage(CHAT, NewMessage.text(USER_A, "The LAUNCH is on"));
        ChatMessage marker = teams.postChatMessage(CHAT, NewMessage.text(USER_A, "launch again"));

        assertThat(items("/search", 2)).extracting(i -> i.get("resourceData").get("id").asText())
                .containsExactly(hit.id(), marker.id());
    }

    @Test
    void mentionFilterMatchesMessagesMentioningTheUser() {
        subscribe("/teams/" + TEAM + "/channels/" + CHANNEL + "/messages?$filter=mentions/any(u: u/mentioned/user/id eq '"
                + USER_B + "')", "created", "/mentions");
        teams.postChannelMessage(TEAM, CHANNEL, NewMessage.from(USER_B).content("mentions A").mention(USER_A).build());
        ChatMessage hit = teams.postChannelMessage(TEAM, CHANNEL, NewMessage.from(USER_A).content("hey").mention(USER_B)
                .build());

        List<JsonNode> items = items("/mentions", 1);
        assertThat(items).extracting(i -> i.get("resourceData").get("id").asText()).containsExactly(hit.id());
    }

    @Test
    void userLevelAndAppInstalledResourcesFollowMembershipAndInstallation() {
        String outsider = teams.createUser(null, "Outsider", null).id();
        String otherChat = teams.createChat(null, "other", "oneOnOne", List.of(USER_B, outsider), List.of()).id();
        subscribe("/users/" + USER_A + "/chats/getAllMessages", "created", "/user-a");
        subscribe("/appCatalogs/teamsApps/app-42/installedToChats/getAllMessages", "created", "/app-42");
        teams.postChatMessage(otherChat, NewMessage.text(USER_B, "not for A"));
        teams.installApp(otherChat, "app-42");
        ChatMessage forApp = teams.postChatMessage(otherChat, NewMessage.text(USER_B, "app sees this"));
        ChatMessage forA = teams.postChatMessage(CHAT, NewMessage.text(USER_B, "A sees this"));

        assertThat(items("/user-a", 1)).extracting(i -> i.get("resourceData").get("id").asText()).containsExactly(forA.id());
        assertThat(items("/app-42", 1)).extracting(i -> i.get("resourceData").get("id").asText())
                .containsExactly(forApp.id());
    }

    @Test
    void changesWithinTheBatchWindowTravelInOnePost() {
        String s1 = subscribe("/chats/" + CHAT + "/messages", "created", "/batch");
        String s2 = subscribe("/teams/" + TEAM + "/channels/" + CHANNEL + "/messages", "created", "/batch");
        teams.postChatMessage(CHAT, NewMessage.text(USER_A, "1"));
        teams.postChatMessage(CHAT, NewMessage.text(USER_A, "2"));
        teams.postChannelMessage(TEAM, CHANNEL, NewMessage.text(USER_A, "3"));

        items("/batch", 3);
        List<Received> posts = f.receiver.notifications("/batch");
        assertThat(posts).hasSize(1);
        assertThat(posts.get(0).json().get("value")).extracting(i -> i.get("subscriptionId").asText())
                .containsExactly(s1, s1, s2);
    }

    @Test
    void expiredSubscriptionReceivesNothing() {
        ObjectNode shortLived = f.subscription("/chats/" + CHAT + "/messages", "created");
        shortLived.put("notificationUrl", f.receiver.url("/expiry"));
        shortLived.put("expirationDateTime", f.now().plus(Duration.ofMinutes(10)).toString());
        String expiring = f.create(shortLived);
        String lasting = subscribe("/teams/getAllMessages", "created", "/expiry");
        f.emulator.clock().advance(Duration.ofMinutes(20));
        try {
            teams.postChatMessage(CHAT, NewMessage.text(USER_A, "too late"));
            teams.postChannelMessage(TEAM, CHANNEL, NewMessage.text(USER_A, "marker"));

            List<JsonNode> items = items("/expiry", 1);
            assertThat(items).extracting(i -> i.get("subscriptionId").asText()).containsExactly(lasting)
                    .doesNotContain(expiring);
        } finally {
            f.emulator.clock().advance(Duration.ofMinutes(-20));
        }
    }

    @Test
    void otherTenantsSubscriptionsDoNotSeeTheChange() {
        subscribe("/chats/getAllMessages", "created", "/tenant");
        String foreigner = teams.createUser(null, "Foreign", "99999999-9999-4999-8999-999999999999").id();
        String foreignChat = teams.createChat(null, "abroad", "group", List.of(foreigner), List.of()).id();
        teams.postChatMessage(foreignChat, NewMessage.text(foreigner, "elsewhere"));
        ChatMessage marker = teams.postChatMessage(CHAT, NewMessage.text(USER_A, "home"));

        assertThat(items("/tenant", 1)).extracting(i -> i.get("resourceData").get("id").asText())
                .containsExactly(marker.id());
    }
}
